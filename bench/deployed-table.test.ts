import { describe, expect, it } from 'vitest';
import { DEPLOYED_HEADERS, deployedFigures, deployedSection, deployedTableRows } from './deployed-table.js';
import type { DeployedRow } from './deployed.js';
import { formatMarkdown } from './stats.js';

const row = (shards: number, clientWallMs: number, shardElapsedMs: number[], shardWorkMs: number[]): DeployedRow => ({
  shards,
  wallMs: clientWallMs - 100,
  clientWallMs,
  shardElapsedMs,
  shardWorkMs,
  prepareMs: 700,
  wallSource: 'platform',
  taskRunId: `trn-${shards}`,
  profiles: 20,
});

describe('deployedFigures', () => {
  it('puts the longest shard\'s own work against the client wall time, and each shard\'s start-up', () => {
    const [one, three] = deployedFigures([row(1, 4000, [1500], [1000]), row(3, 5000, [900, 1300, 800], [300, 500, 400])], new Map([[1, 2000]]));
    expect(one).toEqual({ shards: 1, localWallMs: 2000, deployedWallMs: 4000, longestShardMs: 1500, longestWorkMs: 1000, shardStartUpMs: 500, prepareMs: 700, platformMs: 3000, platformShare: 0.75 });
    // Start-ups 600, 800, 400 → median 600; work 500 of 5000 ms.
    expect(three).toMatchObject({ localWallMs: null, shardStartUpMs: 600, platformMs: 4500, platformShare: 0.9 });
    expect(deployedTableRows([one!, three!])).toEqual([
      ['1', '2.00', '4.00', '2.0x', '0.70', '1.50', '1.00', '0.50', '75% (3.00 s)'],
      ['3', '–', '5.00', '–', '0.70', '1.30', '0.50', '0.60', '90% (4.50 s)'],
    ]);
  });

  it('leaves start-up out when the run details did not time every shard', () => {
    expect(deployedFigures([row(2, 3000, [900], [300, 400])], new Map())[0]?.shardStartUpMs).toBeNull();
  });

  it('the section names where the rows ran and is empty without rows', () => {
    const text = deployedSection([row(1, 4000, [1500], [1000])], true, new Map(), formatMarkdown).join('\n');
    expect(text).toContain("local dev server (render workflows dev)");
    expect(text).toContain(`| ${DEPLOYED_HEADERS.join(' | ')} |`);
    expect(deployedSection([], false, new Map(), formatMarkdown)).toEqual([]);
  });
});
