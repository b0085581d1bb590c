/**
 * The SVG timeline, checked structurally against the JSON result it draws: parsed as XML (fast-xml-parser), one lane
 * per container in each phase, every span at the x and width its seconds give on the phase's axis, every mark and
 * event where the JSON puts it, labels as the JSON writes them, and nothing a README or a PR comment would refuse.
 */
import * as fs from 'fs';
import * as path from 'path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { explainObjects, explainPod, formatExplainSvg } from '../../src/explain';
import type { ExplainedPod, TimelinePhase } from '../../src/explain';
import { SVG_AXIS_END_X, SVG_AXIS_X, SVG_WIDTH } from '../../src/explain/format-svg';
import { readManifestText } from '../../src/io/manifests';
import { KubernetesVersion } from '../../src/k8s/version';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'explain-shop.yaml');
const shop = explainObjects(readManifestText(fs.readFileSync(EXAMPLE, 'utf8'), EXAMPLE).objects)[0];

interface Element {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: Element[];
  /** The text content (this element and its children, titles excluded). */
  readonly text: string;
}

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function toElements(nodes: Node[]): Element[] {
  const out: Element[] = [];
  for (const n of nodes) {
    const tag = Object.keys(n).find((k) => k !== ':@');
    if (tag === undefined || tag === '#text') continue;
    const children = toElements(n[tag] as Node[]);
    const own = (n[tag] as Node[])
      .filter((c) => '#text' in c)
      .map((c) => String(c['#text']))
      .join('');
    out.push({
      tag,
      attrs: n[':@'] ?? {},
      children,
      text:
        own +
        children
          .filter((c) => c.tag !== 'title')
          .map((c) => c.text)
          .join(''),
    });
  }
  return out;
}

function parse(svg: string): Element {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
  });
  const [root] = toElements(parser.parse(svg) as Node[]);
  return root;
}

function all(e: Element, pred: (x: Element) => boolean): Element[] {
  return [...(pred(e) ? [e] : []), ...e.children.flatMap((c) => all(c, pred))];
}

const num = (s: string | undefined): number => Number(s);

function checkPhase(root: Element, pod: ExplainedPod, phase: TimelinePhase): void {
  const [g] = all(root, (e) => e.tag === 'g' && e.attrs.class === 'phase' && e.attrs['data-phase'] === phase.name);
  expect(g).toBeDefined();
  const end = num(g.attrs['data-axis-end-seconds']);
  // the axis covers the phase (and the grace period), and its scale is the one the ticks are drawn at
  expect(end).toBeGreaterThanOrEqual(phase.endSeconds);
  if (phase.name === 'stop') expect(end).toBeGreaterThanOrEqual(pod.timeline.gracePeriodSeconds);
  const pps = (SVG_AXIS_END_X - SVG_AXIS_X) / end;
  expect(num(g.attrs['data-px-per-second'])).toBeCloseTo(pps, 2);
  const ticks = all(g, (e) => e.tag === 'line' && e.attrs.class === 'tick');
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  expect(num(ticks[0].attrs['data-at'])).toBe(0);
  expect(num(ticks[ticks.length - 1].attrs['data-at'])).toBe(end);
  for (const t of ticks) expect(num(t.attrs.x1)).toBeCloseTo(SVG_AXIS_X + num(t.attrs['data-at']) * pps, 1);
  const x = (seconds: number): number => SVG_AXIS_X + seconds * pps;

  const lanes = all(g, (e) => e.tag === 'g' && e.attrs.class === 'lane');
  expect(lanes.map((l) => l.attrs['data-container'])).toEqual(phase.lanes.map((l) => l.container));
  phase.lanes.forEach((lane, i) => {
    const el = lanes[i];
    const rects = all(el, (e) => e.tag === 'rect' && e.attrs.class === 'span');
    expect(rects).toHaveLength(lane.spans.length);
    const labels = all(el, (e) => e.tag === 'text' && e.attrs.class === 'label').map((t) => t.text);
    lane.spans.forEach((s, k) => {
      const r = rects[k];
      expect([r.attrs['data-kind'], num(r.attrs['data-start']), num(r.attrs['data-end'])]).toEqual([s.kind, s.startSeconds, s.endSeconds]);
      expect(num(r.attrs.x)).toBeCloseTo(x(s.startSeconds), 1);
      expect(num(r.attrs.width)).toBeCloseTo((s.endSeconds - s.startSeconds) * pps, 1);
      expect(labels.some((l) => l.startsWith(s.label))).toBe(true);
      if (s.worstCaseEndSeconds !== undefined && s.worstCaseEndSeconds !== s.endSeconds) {
        const [w] = all(el, (e) => e.attrs.class === 'worst-case' && num(e.attrs['data-start']) === s.endSeconds);
        expect(num(w.attrs.x) + num(w.attrs.width)).toBeCloseTo(s.worstCaseEndSeconds === null ? x(end) : x(s.worstCaseEndSeconds), 1);
      }
    });
    const marks = all(el, (e) => e.tag === 'line' && e.attrs.class === 'mark');
    expect(marks.map((m) => [m.attrs['data-kind'], num(m.attrs['data-at']), num(m.attrs.x1)])).toEqual(
      lane.marks.map((m) => [m.kind, m.atSeconds, num(x(m.atSeconds).toFixed(2))]),
    );
    const events = pod.timeline.events.filter((e) => e.phase === phase.name && e.container === lane.container && e.latestSeconds !== undefined);
    const drawn = all(el, (e) => e.attrs.class === 'event');
    expect(drawn.map((d) => [d.attrs['data-reason'], num(d.attrs['data-at'])])).toEqual(events.map((e) => [e.reason, e.latestSeconds]));
  });
}

function checkSafe(svg: string, root: Element): void {
  expect(root.tag).toBe('svg');
  expect(root.attrs).toMatchObject({ xmlns: 'http://www.w3.org/2000/svg', width: String(SVG_WIDTH) });
  expect(root.attrs.viewBox).toBe(`0 0 ${SVG_WIDTH} ${root.attrs.height}`);
  const elements = all(root, () => true);
  expect(elements.filter((e) => ['script', 'foreignObject', 'image', 'use', 'a', 'style', 'link'].includes(e.tag))).toEqual([]);
  for (const e of elements) {
    for (const [k, v] of Object.entries(e.attrs)) {
      expect(k).not.toMatch(/^on|href$/i);
      expect(v).not.toMatch(/url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg$)/);
    }
    if (e.attrs['font-family'] !== undefined) expect(['sans-serif', 'monospace']).toContain(e.attrs['font-family']);
    if (e.attrs['font-size'] !== undefined) expect(num(e.attrs['font-size'])).toBeGreaterThanOrEqual(10);
    for (const k of ['x', 'x1', 'x2']) if (e.attrs[k] !== undefined) expect(num(e.attrs[k])).toBeLessThanOrEqual(SVG_WIDTH);
  }
  expect(svg).not.toMatch(/@import|<!DOCTYPE|<!ENTITY/);
}

describe('formatExplainSvg', () => {
  test('the example: valid XML, safe to embed, lanes, spans, marks, events and labels as in the JSON', () => {
    const svg = formatExplainSvg(shop);
    const root = parse(svg);
    checkSafe(svg, root);
    checkPhase(root, shop, shop.timeline.start);
    checkPhase(root, shop, shop.timeline.stop);
    const [deadline] = all(root, (e) => e.attrs.class === 'grace-deadline');
    expect(num(deadline.attrs['data-at'])).toBe(30);
  });

  test('is deterministic', () => {
    expect(formatExplainSvg(explainObjects(readManifestText(fs.readFileSync(EXAMPLE, 'utf8'), EXAMPLE).objects)[0])).toBe(formatExplainSvg(shop));
  });

  test('escapes every label', () => {
    const name = `x<y>&"z'`;
    const pod = explainPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: '<&>' },
      spec: { containers: [{ name, image: 'nginx:1', lifecycle: { preStop: { httpGet: { path: '/a?b=<c>&d', port: 80 } } } }] },
    });
    const svg = formatExplainSvg(pod);
    const root = parse(svg);
    checkSafe(svg, root);
    expect(all(root, (e) => e.attrs.class === 'lane').map((l) => l.attrs['data-container'])).toEqual([name, name]);
    expect(all(root, (e) => e.tag === 'text').some((t) => t.text === name)).toBe(true);
    expect(all(root, (e) => e.tag === 'text').some((t) => t.text.startsWith('preStop httpGet /a?b=<c>&d'))).toBe(true);
    checkPhase(root, pod, pod.timeline.stop);
  });

  test.each([
    ['no containers', { containers: [] }],
    [
      'a sidecar, an unbounded postStart and a cut preStop',
      {
        terminationGracePeriodSeconds: 20,
        initContainers: [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always', lifecycle: { preStop: { sleep: { seconds: 3 } } } }],
        containers: [
          {
            name: 'a',
            image: 'nginx:1',
            lifecycle: { postStart: { exec: { command: ['/warm'] } }, preStop: { exec: { command: ['sleep', '25'] } } },
          },
          { name: 'b', image: 'nginx:1', lifecycle: { postStart: { tcpSocket: { port: 1 } } } },
        ],
      },
    ],
    [
      'a long grace period',
      {
        terminationGracePeriodSeconds: 3600,
        containers: [{ name: 'a', image: 'nginx:1', lifecycle: { preStop: { exec: { command: ['sleep', '1800'] } } } }],
      },
    ],
  ])('%s: still matches its JSON', (_, spec) => {
    const pod = explainPod({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec }, { kubernetesVersion: KubernetesVersion.V1_30 });
    const svg = formatExplainSvg(pod);
    const root = parse(svg);
    checkSafe(svg, root);
    checkPhase(root, pod, pod.timeline.start);
    checkPhase(root, pod, pod.timeline.stop);
  });
});

describe('docs/explain-timeline.svg', () => {
  test('is what `explain --format svg` draws for the example today (re-run scripts/render-explain-png.sh after a change)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'explain-timeline.svg'), 'utf8');
    expect(committed).toBe(formatExplainSvg(shop));
  });
});
