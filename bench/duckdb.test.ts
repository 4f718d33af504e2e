import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { referenceRun } from '../src/reference.js';
import { duckdbMerge, roundedAverage } from './duckdb.js';

const fixture = join(import.meta.dirname, '..', 'src', 'testdata', 'tutorial-2000');

describe('duckdbMerge (the SQL oracle and bench baseline)', () => {
  const dirs: string[] = [];
  const scratch = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'duckdb-oracle-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reproduces every figure of the tutorial-2000 fixture expected.json (independent answers)', async () => {
    const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as Record<string, unknown>;
    const got = await duckdbMerge(fixture, { threads: 2 });
    expect(got).toEqual({
      profiles_generated: expected['profiles_generated'],
      records_processed: expected['records_processed'],
      health_score_sum: expected['health_sum'],
      avg_health_score: expected['avg_health_score'],
      churn_distribution: expected['churn_distribution'],
      expansion_distribution: expected['expansion_distribution'],
    });
  });

  it('native checks (typed CSV reading, the bench baseline) give the same figures on the fixture', async () => {
    expect(await duckdbMerge(fixture, { threads: 2, checks: 'native' })).toEqual(await duckdbMerge(fixture, { threads: 2 }));
  });

  it('native checks throw, naming the line, on a cell DuckDB cannot convert', async () => {
    const dir = scratch({
      'crm.csv': 'customer_id,email,company_name,industry,employee_count,deal_stage,deal_value,sales_owner,last_contact\n',
      'billing.csv': 'customer_id,email,plan,mrr,payment_status,subscription_start,last_payment\nc1,a@x,Free,lots,Active,2024-01-01,2025-01-01\n',
      'product.csv': 'customer_id,email,signup_date,last_active,total_sessions,features_used,usage_pct,account_status\n',
      'support.csv': 'customer_id,email,total_tickets,open_tickets,avg_resolution_hrs,last_ticket_date,nps_score,csat_score\n',
    });
    await expect(duckdbMerge(dir, { checks: 'native' })).rejects.toThrow(/lots/);
  });

  it('agrees with the single-process reference on a fixture with duplicates, orphans, gaps and odd statuses', async () => {
    const dir = scratch({
      'crm.csv':
        'customer_id,email,company_name,industry,employee_count,deal_stage,deal_value,sales_owner,last_contact\n' +
        'c1,a@x,"Acme, Inc",Tech,10,Enterprise,100,Bo,2025-01-01\n' +
        'c2,b@x,Beta,Tech,5,Closed Won,,Bo,\n' +
        'c1,a@x,Acme,Tech,10,Prospect,100,Bo,2025-01-02\n',
      'billing.csv':
        'customer_id,email,plan,mrr,payment_status,subscription_start,last_payment\n' +
        'c1,a@x,Starter,10,Active,2024-01-01,2025-01-01\n' +
        'c1,a@x,Business,10,Past Due,2024-01-01,2025-01-01\n' +
        'c2,b@x, FREE ,10,  PAST-due ,2024-01-01,2025-01-01\n' +
        'c9,z@x,Basic,1,failed,2024-01-01,2025-01-01\n',
      'product.csv':
        'customer_id,email,signup_date,last_active,total_sessions,features_used,usage_pct,account_status\n' +
        'c1,a@x,2024-01-01,2025-01-01,1,1,85,Active\n' +
        'c2,b@x,2024-01-01,2025-01-01,1,1,,Active\n' +
        'c4,d@x,2024-01-01,2025-01-01,1,1,95,Active\n' +
        'c4,d@x,2024-01-01,2025-01-01,1,1,,Active\n' +
        'c2,b@x,2024-01-01,2025-01-01,1,1,20,Active\n',
      'support.csv':
        'customer_id,email,total_tickets,open_tickets,avg_resolution_hrs,last_ticket_date,nps_score,csat_score\n' +
        'c1,a@x,3,0,1.5,2025-01-01,9,4\n' +
        'c2,b@x,3,,1.5,2025-01-01,,4\n' +
        'c3,c@x,9,5,1.5,2025-01-01,3,1\n',
    });
    const ref = await referenceRun(dir);
    const got = await duckdbMerge(dir, { threads: 1 });
    expect(ref.rejects).toEqual([]);
    expect(await duckdbMerge(dir, { checks: 'native' })).toEqual(got);
    expect(got).toEqual({
      profiles_generated: ref.profiles_generated,
      records_processed: ref.records_processed,
      health_score_sum: ref.statistics.health_score_sum,
      avg_health_score: ref.statistics.avg_health_score,
      churn_distribution: ref.statistics.churn_distribution,
      expansion_distribution: ref.statistics.expansion_distribution,
    });
    expect(got.profiles_generated).toBe(5);
  });

  it('the last row in file order wins: swapping two rows of one customer changes the answer', async () => {
    const header = 'customer_id,email,signup_date,last_active,total_sessions,features_used,usage_pct,account_status\n';
    const files = (product: string): Record<string, string> => ({
      'crm.csv': 'customer_id,email,company_name,industry,employee_count,deal_stage,deal_value,sales_owner,last_contact\n',
      'billing.csv': 'customer_id,email,plan,mrr,payment_status,subscription_start,last_payment\n',
      'support.csv': 'customer_id,email,total_tickets,open_tickets,avg_resolution_hrs,last_ticket_date,nps_score,csat_score\n',
      'product.csv': header + product,
    });
    const high = 'c1,a@x,2024-01-01,2025-01-01,1,1,90,Active\n';
    const low = 'c1,a@x,2024-01-01,2025-01-01,1,1,10,Active\n';
    expect((await duckdbMerge(scratch(files(low + high)))).health_score_sum).toBe(70);
    expect((await duckdbMerge(scratch(files(high + low)))).health_score_sum).toBe(40);
  });

  it('a row the pipeline would reject counts as read but supersedes nothing', async () => {
    const dir = scratch({
      'crm.csv': 'customer_id,email,company_name,industry,employee_count,deal_stage,deal_value,sales_owner,last_contact\n',
      'billing.csv': 'customer_id,email,plan,mrr,payment_status,subscription_start,last_payment\n',
      'support.csv': 'customer_id,email,total_tickets,open_tickets,avg_resolution_hrs,last_ticket_date,nps_score,csat_score\n',
      'product.csv':
        'customer_id,email,signup_date,last_active,total_sessions,features_used,usage_pct,account_status\n' +
        'c1,a@x,2024-01-01,2025-01-01,1,1,90,Active\n' +
        'c1,a@x,2024-01-01,2025-01-01,1,1,101,Active\n' +
        'c1,a@x,2024-02-30,2025-01-01,1,1,10,Active\n' +
        ',a@x,2024-01-01,2025-01-01,1,1,10,Active\n',
    });
    const ref = await referenceRun(dir);
    const got = await duckdbMerge(dir);
    expect(ref.rejects).toHaveLength(3);
    expect(got.records_processed).toBe(ref.records_processed);
    expect(got.health_score_sum).toBe(ref.statistics.health_score_sum);
    expect(got.profiles_generated).toBe(1);
  });

  it('rounds the average to one decimal like the pipeline, and 0 for no profiles', () => {
    expect(roundedAverage(120215, 2000)).toBe(60.1);
    expect(roundedAverage(0, 0)).toBe(0);
    expect(roundedAverage(121, 2)).toBe(60.5);
  });
});
