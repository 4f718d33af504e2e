import type { DrillReport, ScenarioReport } from './drill.js';
import { describeStory } from './stories.js';

/** The drill's report as text: one block per scenario, each check with its evidence, then the verdict. */
export function formatReport(r: DrillReport, outNote: string): string {
  const o = r.options;
  const lines = [
    `chaos drill: ${o.data} (${r.customers} customers), ${o.shards} shards, concurrency ${o.concurrency}, seed ${o.seed}`,
    `retry policy in the drill: ${o.retry.maxRetries} retries, first wait ${o.retry.waitDurationMs} ms, x${o.retry.backoffScaling ?? 1.5}` +
      ' (the task itself waits 2000 ms, x2: shortened here so the drill takes seconds, not minutes)',
    `hang scenario: process_shard timeout ${o.hangTimeoutSeconds} s (the task itself: 1800 s)`,
    `output: ${outNote}`,
    '',
  ];
  for (const s of [r.baseline, ...r.scenarios]) lines.push(...block(s), '');
  const passed = [r.baseline, ...r.scenarios].filter((s) => s.ok).length;
  const total = r.scenarios.length + 1;
  lines.push(
    `RESULT: ${r.ok ? 'PASS' : 'FAIL'}: ${passed} of ${total} scenarios hold (baseline included); ${r.healedRetries} shard(s) healed by a retry`,
  );
  return lines.join('\n');
}

function block(s: ScenarioReport): string[] {
  const env = Object.entries(s.env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const out = [`[${s.ok ? 'PASS' : 'FAIL'}] ${s.name}: ${s.title}${env !== '' ? `  (${env})` : ''}  ${(s.elapsedMs / 1000).toFixed(1)} s`];
  for (const c of s.checks) out.push(`    ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  for (const st of s.stories) out.push(`    retry: ${describeStory(st)}`);
  for (const n of s.notes) out.push(`    note: ${n}`);
  return out;
}
