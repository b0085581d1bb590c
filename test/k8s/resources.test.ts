import { validateContainerResourceName, validateResourceList } from '../../src/k8s/resources';

describe('validateContainerResourceName', () => {
  test.each(['cpu', 'memory', 'ephemeral-storage', 'hugepages-2Mi', 'nvidia.com/gpu', 'example.com/foo'])('accepts %p', (name) => {
    expect(validateContainerResourceName(name)).toEqual([]);
  });

  test.each<[string, string]>([
    ['pods', 'must be a standard resource for containers'],
    ['foo', 'must be a standard resource type or fully qualified'],
    ['my.org', 'must be a standard resource type or fully qualified'],
    ['requests.example.com/foo', "doesn't follow extended resource name standard"],
  ])('rejects %p (%s)', (name, detail) => {
    expect(validateContainerResourceName(name)).toContain(detail);
  });
});

describe('validateResourceList', () => {
  test('applies the container-limits rules to each entry', () => {
    const errs = validateResourceList({ cpu: '-1', 'nvidia.com/gpu': '500m', memory: 'lots' }, 'overhead.podFixed');
    expect(errs.map((e) => [e.field, e.detail])).toEqual([
      ['overhead.podFixed[cpu]', 'must be greater than or equal to 0'],
      ['overhead.podFixed[nvidia.com/gpu]', 'must be an integer'],
      ['overhead.podFixed[memory]', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ]);
  });

  test('requires hugepages to be page multiples and to come with cpu or memory', () => {
    const errs = validateResourceList({ 'hugepages-2Mi': '3Mi' }, 'overhead.podFixed');
    expect(errs.map((e) => e.detail)).toEqual(['3Mi is not positive integer multiple of hugepages-2Mi', 'HugePages require cpu or memory']);
  });
});
