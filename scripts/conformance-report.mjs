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

/** Names of the specs that pass in `reference` but not in `candidate`. */
export function passingOnlyIn(reference, candidate) {
  const passed = new Set(candidate.specs.filter((s) => s.state === 'passed').map((s) => s.name));
  return reference.specs
    .filter((s) => s.state === 'passed' && !passed.has(s.name))
    .map((s) => s.name);
}

/** The figures as text, one line of totals and then each failed spec with its cause. */
export function formatSummary(summary) {
  const lines = [
    `conformance [${summary.backend}] ${summary.version}, ${summary.date}: ` +
      `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped ` +
      `of ${summary.selected} selected specs in ${summary.wallSeconds}s`,
  ];
  for (const s of summary.specs.filter((x) => x.state === 'failed')) {
    lines.push(`  FAILED ${s.name}`, `         ${s.failure}`);
  }
  return lines.join('\n');
}
