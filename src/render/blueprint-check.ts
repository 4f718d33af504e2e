/**
 * Checks a parsed render.yaml against Render's spec for a workflow service (`type: workflow`,
 * `name`, `runtime: node`, `repo`, `branch`, optional fields, no `plan`); returns every problem.
 */
import { parseDocument } from 'yaml';
import { SDK_INSTALL_COMMAND } from './sdk.js';

/** A value of a parsed YAML document (JSON's data model). */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/** A Blueprint that is not valid YAML; the message is one line, `file:line:col: reason`. */
export class BlueprintSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    reason: string,
  ) {
    super(`${file}:${line}:${col}: ${reason}`);
    this.name = 'BlueprintSyntaxError';
  }
}

/** Parses Blueprint text with the `yaml` package; the first syntax error throws {@link BlueprintSyntaxError}. */
export function parseBlueprint(text: string, file: string): YamlValue {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first] = doc.errors;
  if (first !== undefined) {
    const at = first.linePos?.[0] ?? { line: 0, col: 0 };
    const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new BlueprintSyntaxError(file, at.line, at.col, `${reason} (${first.code})`);
  }
  return doc.toJS({ maxAliasCount: 0 }) as YamlValue;
}

type Obj = { [key: string]: YamlValue };

/** Root-level fields of a Blueprint. */
export const ROOT_FIELDS = ['services', 'databases', 'envVarGroups', 'previews', 'projects', 'ungrouped'] as const;
/** Fields a workflow service may carry (the shared doc's list). */
export const WORKFLOW_FIELDS = ['type', 'name', 'runtime', 'repo', 'branch', 'rootDir', 'buildCommand', 'startCommand', 'envVars'] as const;
export const WORKFLOW_REQUIRED = ['type', 'name', 'runtime', 'repo', 'branch', 'buildCommand', 'startCommand'] as const;
/** Fields of a `databases:` entry (Render Postgres). */
export const DATABASE_FIELDS = [
  'name', 'databaseName', 'user', 'plan', 'region', 'postgresMajorVersion', 'ipAllowList', 'diskSizeGB', 'highAvailability', 'readReplicas', 'previewPlan',
] as const;
/** Properties `fromDatabase` can read. */
export const DATABASE_PROPERTIES = ['connectionString', 'host', 'port', 'user', 'password', 'database'] as const;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

export interface WorkflowService {
  readonly name: string;
  readonly rootDir: string | undefined;
  readonly buildCommand: string;
  readonly startCommand: string;
  readonly envKeys: string[];
}

/** Problems of a Blueprint document; `[]` when it is sound. */
export function checkBlueprint(doc: YamlValue): string[] {
  const errors: string[] = [];
  if (!isObj(doc)) return ['the Blueprint must be a mapping'];
  for (const k of Object.keys(doc)) if (!(ROOT_FIELDS as readonly string[]).includes(k)) errors.push(`unknown root field ${k}`);
  const databases = Array.isArray(doc['databases']) ? doc['databases'] : doc['databases'] === undefined ? [] : (errors.push('databases must be a list'), []);
  const dbNames = new Set<string>();
  for (const [i, db] of databases.entries()) {
    if (!isObj(db)) {
      errors.push(`databases[${i}] must be a mapping`);
      continue;
    }
    for (const k of Object.keys(db)) if (!(DATABASE_FIELDS as readonly string[]).includes(k)) errors.push(`databases[${i}]: unknown field ${k}`);
    if (!isText(db['name'])) errors.push(`databases[${i}]: name is required`);
    else dbNames.add(db['name']);
  }
  const services = doc['services'];
  if (!Array.isArray(services) || services.length === 0) return [...errors, 'services must be a non-empty list'];
  const workflows = services.filter((s) => isObj(s) && s['type'] === 'workflow');
  if (workflows.length !== 1) errors.push(`expected exactly one service of type workflow, found ${workflows.length}`);
  for (const s of workflows) errors.push(...checkWorkflowService(s as Obj, dbNames));
  return errors;
}

function checkWorkflowService(s: Obj, dbNames: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  const where = `service ${isText(s['name']) ? s['name'] : '?'}`;
  for (const k of Object.keys(s)) {
    if (k === 'plan') errors.push(`${where}: a workflow service has no plan field (plans are set per task in code)`);
    else if (!(WORKFLOW_FIELDS as readonly string[]).includes(k)) errors.push(`${where}: unknown field ${k}`);
  }
  for (const k of WORKFLOW_REQUIRED) if (!isText(s[k])) errors.push(`${where}: ${k} is required`);
  if (s['runtime'] !== undefined && s['runtime'] !== 'node') errors.push(`${where}: runtime must be node, got ${JSON.stringify(s['runtime'])}`);
  if (isText(s['name']) && !/^[a-z0-9][a-z0-9-]*$/.test(s['name'])) errors.push(`${where}: name must be lowercase letters, digits and '-'`);
  if (isText(s['repo']) && !/^https:\/\/\S+$/.test(s['repo'])) errors.push(`${where}: repo must be an https URL`);
  const root = s['rootDir'];
  if (root !== undefined && (!isText(root) || root.startsWith('/') || root.split('/').includes('..'))) {
    errors.push(`${where}: rootDir must be a relative path inside the repository`);
  }
  const build = s['buildCommand'];
  if (isText(build)) {
    const steps = build.split('&&').map((x) => x.trim());
    const iCi = steps.indexOf('npm ci');
    const iSdk = steps.indexOf(SDK_INSTALL_COMMAND);
    const iBuild = steps.indexOf('npm run build');
    if (iCi < 0 || iSdk < 0 || iBuild < 0 || !(iCi < iSdk && iSdk < iBuild)) {
      errors.push(`${where}: buildCommand must run npm ci, then ${SDK_INSTALL_COMMAND}, then npm run build, got ${JSON.stringify(build)}`);
    }
  }
  const start = s['startCommand'];
  if (isText(start) && !/^node \S+\.js$/.test(start)) errors.push(`${where}: startCommand must run the entry with node directly (no npm), got ${JSON.stringify(start)}`);
  const envVars = s['envVars'] ?? [];
  if (!Array.isArray(envVars)) return [...errors, `${where}: envVars must be a list`];
  const keys = new Set<string>();
  for (const [i, e] of envVars.entries()) {
    if (!isObj(e) || !isText(e['key'])) {
      errors.push(`${where}: envVars[${i}] needs a key`);
      continue;
    }
    const key = e['key'];
    if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) errors.push(`${where}: env var name ${key} is not UPPER_SNAKE_CASE`);
    if (keys.has(key)) errors.push(`${where}: env var ${key} is declared twice`);
    keys.add(key);
    const sources = ['value', 'fromDatabase', 'sync', 'generateValue'].filter((f) => e[f] !== undefined);
    for (const f of Object.keys(e)) if (f !== 'key' && !['value', 'fromDatabase', 'sync', 'generateValue'].includes(f)) errors.push(`${where}: env var ${key} has unknown field ${f}`);
    if (sources.length !== 1) errors.push(`${where}: env var ${key} needs exactly one of value, fromDatabase, sync: false, generateValue`);
    if (e['value'] !== undefined && typeof e['value'] !== 'string') errors.push(`${where}: env var ${key} value must be a string (quote numbers)`);
    if (e['sync'] !== undefined && e['sync'] !== false) errors.push(`${where}: env var ${key} sync must be false`);
    const from = e['fromDatabase'];
    if (from !== undefined) {
      if (!isObj(from) || !isText(from['name']) || !isText(from['property'])) errors.push(`${where}: env var ${key} fromDatabase needs name and property`);
      else {
        if (!dbNames.has(from['name'])) errors.push(`${where}: env var ${key} reads database ${from['name']}, which the Blueprint does not declare`);
        if (!(DATABASE_PROPERTIES as readonly string[]).includes(from['property'])) errors.push(`${where}: env var ${key} reads unknown property ${from['property']}`);
      }
    }
  }
  return errors;
}

/** The workflow service's fields the project checks against its own files. */
export function workflowService(doc: YamlValue): WorkflowService {
  const s = (isObj(doc) && Array.isArray(doc['services']) ? doc['services'] : []).find((x) => isObj(x) && x['type'] === 'workflow');
  if (!isObj(s)) throw new Error('no workflow service');
  const envVars = Array.isArray(s['envVars']) ? s['envVars'] : [];
  return {
    name: String(s['name']),
    rootDir: isText(s['rootDir']) ? s['rootDir'] : undefined,
    buildCommand: String(s['buildCommand']),
    startCommand: String(s['startCommand']),
    envKeys: envVars.filter(isObj).map((e) => String(e['key'])),
  };
}
