/** What every benchmark does around its measurement: write its results, clean up, fail loudly. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** bench/results/<name>.json and .md: the latest run only. */
export function writeResults(name: string, results: object, markdown: string): void {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, `${name}.md`), markdown);
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pg.end();
  }
}

export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
