import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkDockerfile, isIgnored, parseDockerfile } from './dockerfile';
import { formatFinding } from './findings';

const root = resolve(__dirname, '../..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8');
const problems = (text: string, ignore = dockerignore) => checkDockerfile(root, text, ignore).map(formatFinding);

describe('Dockerfile check', () => {
  it('accepts the real Dockerfile and .dockerignore', () => {
    expect(problems(dockerfile)).toEqual([]);
  });

  it('joins continuation lines and drops comments', () => {
    expect(parseDockerfile('# syntax=docker/dockerfile:1\nFROM a AS b\nHEALTHCHECK --interval=5s \\\n  CMD ["node", "x"]\n')).toEqual([
      { line: 2, keyword: 'FROM', args: 'a AS b' },
      { line: 3, keyword: 'HEALTHCHECK', args: '--interval=5s CMD ["node", "x"]' },
    ]);
  });

  it('.dockerignore: the last matching pattern wins, and a pattern covers what is under a folder it matches', () => {
    expect(isIgnored('apps/sourcing/src/main.ts', dockerignore)).toBe(false);
    expect(isIgnored('apps/sourcing/src/app/sourcing.int.spec.ts', dockerignore)).toBe(true);
    expect(isIgnored('tools/register.js', dockerignore)).toBe(false);
    expect(isIgnored('tools/cli/dropship.ts', dockerignore)).toBe(true);
    expect(isIgnored('node_modules/yaml/package.json', dockerignore)).toBe(true);
    expect(isIgnored('libs/event-store/node_modules/x/index.js', dockerignore)).toBe(true);
    expect(isIgnored('README.md', dockerignore)).toBe(true);
  });

  it('rejects a COPY of a file that is not there or that .dockerignore keeps out', () => {
    expect(problems(dockerfile.replace('COPY tools/register.js tools/run-service.js ./tools/', 'COPY tools/register.js tools/start.js ./tools/'))).toEqual([
      'Dockerfile line 36: COPY tools/start.js: not in the repository',
    ]);
    expect(problems(dockerfile, dockerignore.replace('!tools/run-service.js\n', ''))).toEqual(['Dockerfile line 36: COPY tools/run-service.js: excluded by .dockerignore']);
  });

  it('rejects a root or named user, no health check, and a start other than tools/run-service.js', () => {
    expect(problems(dockerfile.replace('USER 1000:1000', 'USER node'))).toEqual([
      'Dockerfile line 41: USER node: use a numeric non-root uid (Kubernetes verifies runAsNonRoot only for numeric users)',
    ]);
    expect(problems(dockerfile.replace(/^USER .*$/m, '').replace(/\/health\/live/g, '/health'))).toEqual([
      'Dockerfile final stage: no USER: the service would run as root',
      'Dockerfile final stage: no HEALTHCHECK on /health/live',
    ]);
    expect(problems(dockerfile.replace('exec node tools/run-service.js', 'exec node apps/sourcing/src/main.ts'))).toEqual([
      'Dockerfile final stage: does not start the service through tools/run-service.js (what `npm run service` runs)',
    ]);
  });
});
