import { describe, expect, it } from 'vitest';
import { parseYamlSubset } from './mini-yaml.js';

describe('parseYamlSubset', () => {
  it('reads nested mappings, sequences of mappings, scalars and comments', () => {
    const doc = parseYamlSubset(
      [
        '# a comment',
        'services:',
        '  - type: workflow   # trailing comment',
        '    name: cm',
        "    cmd: npm ci && npm install --no-save @renderinc/sdk@^1",
        '    url: https://example.com/a#frag',
        '    envVars:',
        '      - key: A',
        '        value: "20"',
        "      - key: 'B'",
        '        fromDatabase:',
        '          name: db',
        '          property: connectionString',
        'list:',
        '- 1',
        '- true',
        '- ~',
        "- 'it''s'",
        'empty: []',
        'nothing:',
      ].join('\n'),
    );
    expect(doc).toEqual({
      services: [
        {
          type: 'workflow',
          name: 'cm',
          cmd: 'npm ci && npm install --no-save @renderinc/sdk@^1',
          url: 'https://example.com/a#frag',
          envVars: [
            { key: 'A', value: '20' },
            { key: 'B', fromDatabase: { name: 'db', property: 'connectionString' } },
          ],
        },
      ],
      list: [1, true, null, "it's"],
      empty: [],
      nothing: null,
    });
  });

  it.each([
    ['a: 1\na: 2', /:2: duplicate key "a"/],
    ['a:\n\tb: 1', /:2: tabs/],
    ['a: &x 1', /outside the supported subset/],
    ['a: *x', /outside the supported subset/],
    ['a: |\n  text', /outside the supported subset/],
    ['a: [1, 2]', /outside the supported subset/],
    ['---\na: 1', /document markers/],
    ['a:\n  b: 1\n c: 2', /:3: /],
    ['a: "open', /unterminated/],
    ['a: b: c', /ambiguous: quote it/],
    ['just text', /expected "key: value"/],
  ])('refuses %j', (source, message) => {
    expect(() => parseYamlSubset(source)).toThrow(message);
  });
});
