import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBlueprint } from './blueprint-check.js';
import type { YamlValue } from './blueprint-check.js';
import { admits } from '../testing/engines.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (f: string): string => readFileSync(join(root, f), 'utf8');

/** render.yaml's NODE_VERSION: the Node line Render deploys. */
function deployedNode(): string {
  type Obj = { [k: string]: YamlValue };
  const services = (parseBlueprint(read('render.yaml'), 'render.yaml') as Obj)['services'] as Obj[];
  const vars = services.find((s) => s['type'] === 'workflow')?.['envVars'] as Obj[] | undefined;
  return String(vars?.find((v) => v['key'] === 'NODE_VERSION')?.['value']);
}

describe('the supported Node lines', () => {
  const deployed = deployedNode();
  const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
  const ci = read('.ci/run');

  it("are render.yaml's NODE_VERSION, admitted by package.json's engines", () => {
    expect(deployed).toMatch(/^\d+$/);
    expect(admits(engines, `${deployed}.0.0`), `engines ${engines} leaves out Node ${deployed}`).toBe(true);
  });

  it('include the Node this suite runs on', () => {
    expect(admits(engines, process.versions.node), `engines ${engines} leaves out Node ${process.versions.node}`).toBe(true);
  });

  it('are what CI installs and runs the suite on a second time', () => {
    const installs = [...ci.matchAll(/\bnode@(\d+)\b/g)].map((m) => m[1]);
    const checks = [...ci.matchAll(/\^v(\d+)\\\./g)].map((m) => m[1]);
    expect(installs.length).toBeGreaterThan(0);
    expect(checks.length).toBeGreaterThan(0);
    expect(new Set([...installs, ...checks])).toEqual(new Set([deployed]));
    expect(ci).toMatch(/PATH="\$node_lts_bin:\$PATH" npm test/);
  });
});
