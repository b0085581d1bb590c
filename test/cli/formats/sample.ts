/** Reports the format tests render: small, with every optional field used somewhere. */
import type { Report, ReportFinding, ReportRule } from '../../../src/cli/formats/report';

export const RULES: readonly ReportRule[] = [
  {
    id: 'image-not-pinned',
    severity: 'error',
    title: 'Images are pinned by a version tag or a digest',
    reason: 'A mutable tag runs different code on every pull.',
    fix: 'Pin a version tag or a digest.',
  },
  {
    id: 'image-floating-tag',
    severity: 'warning',
    title: 'Image tags are not floating',
    reason: 'Tags like "stable" are moved.',
    fix: 'Use a version tag.',
  },
  {
    id: 'lifecycle-tcp-socket',
    severity: 'error',
    title: 'No tcpSocket hooks',
    reason: 'The kubelet never ran them.',
    fix: 'Use exec or httpGet.',
  },
];

export const TOOL = { name: 'cdk8s-safe-pods', version: '0.1.0', informationUri: 'https://github.com/cdk8s-safe-pods/cdk8s-safe-pods' };

/** A finding with defaults for the fields a test does not care about. */
export function finding(over: Partial<ReportFinding> = {}): ReportFinding {
  return {
    rule: 'image-not-pinned',
    severity: 'error',
    message: 'container "web": image "nginx:latest" uses the mutable tag "latest"; pin a version tag or a digest',
    file: 'dist/prod.k8s.yaml',
    line: 12,
    column: 18,
    document: 0,
    kind: 'Deployment',
    name: 'web',
    namespace: 'prod',
    field: 'spec.template.spec.containers[0].image',
    container: 'web',
    ...over,
  };
}

/** A report around some findings. */
export function report(over: Partial<Report> = {}): Report {
  return {
    tool: TOOL,
    rules: RULES,
    findings: [],
    errors: [],
    objects: { judged: 3, notJudged: { ConfigMap: 1 } },
    files: 2,
    ...over,
  };
}

/** File names that try to break out of their field: spaces, unicode, newlines, escapes, URI and XML syntax. */
export const ODD_FILE_NAMES: readonly string[] = [
  'manifests/with space.yaml',
  'manifests/ünïcödé 日本.yaml',
  'manifests/line\nbreak.yaml',
  'manifests/cr\r\nlf.yaml',
  'manifests/tab\tand\u001b[31mred.yaml',
  'manifests/100%#frag?query.yaml',
  'manifests/a:b,c.yaml',
  'manifests/<xml & "quotes">.yaml',
  'manifests/emoji 🚀.json',
  'manifests/lone\ud800surrogate.yaml',
];
