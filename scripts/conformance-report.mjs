// Reads the JSON report ginkgo writes (--json-report) and turns it into the figures
// `npm run conformance` prints and keeps: passed/failed/skipped among the selected specs,
// each spec's state and the first line of its failure, and the comparison of two backends.

/** A spec's full name as ginkgo prints it: container texts, then the leaf text. */
const specName = (s) => [...(s.ContainerHierarchyTexts ?? []), s.LeafNodeText].join(' ').trim();

/** The first line of a failure message, shortened: enough to group failures by cause. */
const firstLine = (message) => {
  const line = (message ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line.trim();
};

/**
 * Summarises a ginkgo JSON report (an array of suite reports). Specs the focus/skip filters
 * left out are reported by ginkgo as skipped with no failure; they are not counted. A spec
 * that was selected and then skipped itself (e2eskipper: a missing feature, provider or
 * node) counts as skipped.
 */
export function summarize(report, meta) {
  const specs = [];
  for (const suite of report) {
    for (const s of suite.SpecReports ?? []) {
      if (s.LeafNodeType !== 'It') continue;
      const state = s.State;
      const selfSkipped = state === 'skipped' && (s.Failure?.Message ?? '') !== '';
      if (state === 'skipped' && !selfSkipped) continue;
      specs.push({
        name: specName(s),
        state: state === 'passed' ? 'passed' : state === 'skipped' ? 'skipped' : 'failed',
        ginkgoState: state,
        seconds: Math.round((s.RunTime ?? 0) / 1e7) / 100,
        failure: state === 'passed' ? undefined : firstLine(s.Failure?.Message),
      });
    }
  }
  specs.sort((a, b) => a.name.localeCompare(b.name));
  const count = (st) => specs.filter((s) => s.state === st).length;
  return {
    ...meta,
    selected: specs.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    specs,
  };
}

/**
 * Names of the specs that pass in `reference` but not in `candidate`, among those the
 * candidate run selected (a `--focus` run is compared on its own specs only).
 */
export function passingOnlyIn(reference, candidate) {
  const selected = new Set(candidate.specs.map((s) => s.name));
  const passed = new Set(candidate.specs.filter((s) => s.state === 'passed').map((s) => s.name));
  return reference.specs
    .filter((s) => s.state === 'passed' && selected.has(s.name) && !passed.has(s.name))
    .map((s) => s.name);
}

/** The figures as text, one line of totals and then each failed spec with its cause. */
export function formatSummary(summary) {
  const lines = [
    `conformance [${summary.backend}] ${summary.version}, ${summary.date}: ` +
      `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped ` +
      `of ${summary.selected} selected specs in ${summary.wallSeconds}s`,
  ];
  const failed = summary.specs.filter((x) => x.state === 'failed');
  for (const s of failed) {
    lines.push(
      `  FAILED ${s.name}${s.needsNodes ? ' (needs nodes)' : ''}`,
      `         ${s.failure}`,
    );
  }
  const needing = failed.filter((s) => s.needsNodes).length;
  if (needing)
    lines.push(`${needing} of the ${failed.length} failures need nodes (needs-nodes.txt)`);
  return lines.join('\n');
}

/** Names of the specs a ginkgo `--dry-run` JSON report selects (all reported as passed). */
export function selectedNames(report) {
  const names = [];
  for (const suite of report) {
    for (const s of suite.SpecReports ?? []) {
      if (s.LeafNodeType === 'It' && s.State !== 'skipped') names.push(specName(s));
    }
  }
  return names.sort((a, b) => a.localeCompare(b));
}

/**
 * The spec outcomes ginkgo's verbose output (`-v`) printed, by spec name: each finished
 * spec prints `• [<seconds> seconds]` (passed) or `• [FAILED] [<seconds> seconds]`, then
 * its name with the node it ended in (`[It]`, `[BeforeEach]`) before the leaf text and its
 * labels after it. Used for specs the JSON report lacks (a ginkgo
 * process that crashed takes its specs' reports with it) or when there is no report.
 */
export function outcomesFromLog(log) {
  const lines = log.split('\n');
  const out = new Map();
  for (let i = 0; i < lines.length; i++) {
    const m = /^• (?:\[([A-Z]+)\] )?\[([\d.]+) seconds\]\s*$/.exec(lines[i].trim());
    if (!m) continue;
    const nameLine = lines.slice(i + 1).find((l) => l.trim() !== '');
    if (!nameLine) continue;
    // The node it ended in (`[It]`, `[BeforeEach]`, …) stands before the leaf text.
    const name = nameLine
      .trim()
      .replace(
        / \[(?:It|BeforeEach|AfterEach|JustBeforeEach|JustAfterEach|BeforeAll|AfterAll|DeferCleanup[^\]]*)\] /,
        ' ',
      );
    const state = m[1] === undefined ? 'passed' : m[1] === 'SKIPPED' ? 'skipped' : 'failed';
    out.set(name, { state, ginkgoState: (m[1] ?? 'passed').toLowerCase(), seconds: Number(m[2]) });
  }
  return out;
}

/**
 * Completes a summary with the selected specs its report lacks: their outcome from the
 * log when it printed one, else failed as "not reported" (the process running it ended).
 */
export function completeSummary(summary, selected, logOutcomes) {
  const have = new Set(summary.specs.map((s) => s.name));
  for (const name of selected) {
    if (have.has(name)) continue;
    // The log's name line may carry the spec's labels after its text.
    const seen = [...logOutcomes].find(
      ([line]) => line === name || line.startsWith(`${name} `),
    )?.[1];
    summary.specs.push(
      seen
        ? { name, ...seen, failure: seen.state === 'passed' ? undefined : 'see ginkgo.log' }
        : {
            name,
            state: 'failed',
            ginkgoState: 'not reported',
            seconds: 0,
            failure: 'not reported: the ginkgo process running it ended first (see ginkgo.log)',
          },
    );
  }
  summary.specs.sort((a, b) => a.name.localeCompare(b.name));
  const count = (st) => summary.specs.filter((s) => s.state === st).length;
  return {
    ...summary,
    selected: summary.specs.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}
