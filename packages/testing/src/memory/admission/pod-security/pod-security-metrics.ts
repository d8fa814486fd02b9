/**
 * The Pod Security admission plugin's metrics on kube-apiserver's `/metrics`, counted
 * where pod-security-admission's Prometheus recorder counts them (own code: which requests
 * count, and by which labels, is what a scrape shows). `pod_security_evaluations_total`
 * counts a policy's decisions: enforce's on a Pod (allow or deny; a Pod in a fully
 * privileged namespace as allowed by `privileged:latest`), audit's and warn's denials on a
 * Pod or a workload's template; requests the plugin ignores (ignored subresources, an
 * insignificant Pod update, a workload in a namespace whose audit and warn are privileged)
 * are not counted. `pod_security_errors_total` counts a namespace's invalid labels met
 * while evaluating (non-fatal: the fallback levels are used). `pod_security_exemptions_total`
 * would count exempt requests: MemoryApiServer runs the default configuration, with no
 * exemptions, so its series stay at 0. Series the recorder creates when it registers are
 * there from the start, at 0.
 */
import { Counter } from '../../metrics/counter.js';
import type { MetricFamily } from '../../metrics/exposition.js';
import { type LevelVersion, versionText } from './policy-level.js';
import { EMULATION, older } from './registry.js';

/** Which request a count is about. */
export interface PodSecurityRequest {
  readonly operation: 'create' | 'update';
  /** `pod` for Pods, `controller` for workloads (the plugin counts no namespace). */
  readonly resource: 'pod' | 'controller';
  readonly subresource: string;
}

/** One policy evaluation: its decision, the level and version, and the mode that applied it. */
export interface PolicyEvaluation {
  readonly decision: 'allow' | 'deny';
  readonly policy: LevelVersion;
  readonly mode: 'enforce' | 'audit' | 'warn';
}

const requestLabels = (r: PodSecurityRequest) => ({
  request_operation: r.operation,
  resource: r.resource,
  subresource: r.subresource,
});

/** `latest` (privileged is always), the version, or `future` past the server's own. */
function versionLabel({ level, version }: LevelVersion): string {
  if (version === 'latest' || level === 'privileged') return 'latest';
  return older(EMULATION, version) ? 'future' : versionText(version);
}

/** The metrics of one server's Pod Security admission. */
export class PodSecurityMetrics {
  private readonly evaluations = new Counter(
    'pod_security_evaluations_total',
    '[ALPHA] Number of policy evaluations that occurred, not counting ignored or exempt requests.',
    (['create', 'update'] as const).map((operation) => ({
      decision: 'allow',
      policy_level: 'privileged',
      policy_version: 'latest',
      mode: 'enforce',
      ...requestLabels({ operation, resource: 'pod', subresource: '' }),
    })),
  );
  private readonly errors = new Counter(
    'pod_security_errors_total',
    '[ALPHA] Number of errors preventing normal evaluation. Non-fatal errors may result in the latest restricted profile being used for evaluation.',
  );
  private readonly exemptions = new Counter(
    'pod_security_exemptions_total',
    '[ALPHA] Number of exempt requests, not counting ignored or out of scope requests.',
    (['pod', 'controller'] as const).flatMap((resource) =>
      (['create', 'update'] as const).map((operation) =>
        requestLabels({ operation, resource, subresource: '' }),
      ),
    ),
  );

  /** Counts the evaluations of one request. */
  evaluated(request: PodSecurityRequest, evaluations: readonly PolicyEvaluation[]): void {
    for (const e of evaluations) {
      this.evaluations.inc({
        decision: e.decision,
        policy_level: e.policy.level,
        policy_version: versionLabel(e.policy),
        mode: e.mode,
        ...requestLabels(request),
      });
    }
  }

  /**
   * Counts a non-fatal error: the namespace's labels were invalid, their fallback levels
   * evaluated. (The fatal ones, a namespace that cannot be read or an object that cannot be
   * decoded, cannot happen here: NamespaceLifecycle refuses a write in a missing namespace
   * before this plugin runs.)
   */
  invalidPolicy(request: PodSecurityRequest): void {
    this.errors.inc({ fatal: 'false', ...requestLabels(request) });
  }

  /** The three families, for `/metrics`. */
  families(): MetricFamily[] {
    return [this.evaluations.family(), this.errors.family(), this.exemptions.family()];
  }
}
