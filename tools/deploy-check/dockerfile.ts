/**
 * The Dockerfile, read offline (no Docker engine needed): the image is built with the commands CI
 * runs (`npm ci`, production `npm ci --omit=dev`), starts a service through tools/run-service.js
 * as a non-root numeric user, checks `/health/live`, and every file it copies from the build
 * context exists and is let through by .dockerignore.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { finding, type Finding } from './findings';

interface Instruction {
  readonly line: number;
  readonly keyword: string;
  readonly args: string;
}

/** Instructions with continuation lines joined; comments and the parser directive dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i]!.trim();
      line = `${line.slice(0, -1).trim()} ${next.startsWith('#') ? '' : next}`.trim();
    }
    const [keyword, ...rest] = line.split(/\s+/);
    instructions.push({ line: start + 1, keyword: keyword!.toUpperCase(), args: rest.join(' ') });
  }
  return instructions;
}

/** Whether .dockerignore keeps `path` out of the build context (last matching pattern wins; a pattern also matches everything under a matched folder). */
export function isIgnored(path: string, dockerignore: string): boolean {
  const patterns = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const pattern = (negated ? l.slice(1) : l).trim().replace(/^\.?\//, '').replace(/\/+$/, '');
      return { negated, regexp: toRegExp(pattern) };
    });
  const parts = path.replace(/^\.?\//, '').replace(/\/+$/, '').split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const { negated, regexp } of patterns) {
    if (candidates.some((c) => regexp.test(c))) ignored = !negated;
  }
  return ignored;
}

function toRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        source += '(?:.*/)?';
      } else source += '.*';
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function checkDockerfile(root: string, text: string, dockerignore: string, file = 'Dockerfile'): Finding[] {
  const findings: Finding[] = [];
  const instructions = parseDockerfile(text);
  const problem = (where: string, message: string) => findings.push(finding(file, where, message));
  const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
  if (!runs.some((r) => /\bnpm ci\b(?!.*--omit)/.test(r))) problem('', 'no `npm ci` (the install CI runs)');
  if (!runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))) problem('', 'no `npm ci --omit=dev` for the production dependencies');

  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  const final = instructions.slice(lastFrom);
  const user = final.filter((i) => i.keyword === 'USER').pop();
  if (!user) problem('final stage', 'no USER: the service would run as root');
  else if (!/^[1-9]\d*(:\d+)?$/.test(user.args)) problem(`line ${user.line}`, `USER ${user.args}: use a numeric non-root uid (Kubernetes verifies runAsNonRoot only for numeric users)`);
  const healthcheck = final.find((i) => i.keyword === 'HEALTHCHECK');
  if (!healthcheck?.args.includes('/health/live')) problem('final stage', 'no HEALTHCHECK on /health/live');
  const start = final.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT').pop();
  if (!start?.args.includes('tools/run-service.js')) problem('final stage', 'does not start the service through tools/run-service.js (what `npm run service` runs)');

  for (const copy of instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
    const words = copy.args.split(/\s+/);
    if (words.some((w) => w.startsWith('--from='))) continue;
    const sources = words.filter((w) => !w.startsWith('--')).slice(0, -1);
    for (const source of sources) {
      if (!existsSync(join(root, source))) problem(`line ${copy.line}`, `COPY ${source}: not in the repository`);
      else if (isIgnored(source, dockerignore)) problem(`line ${copy.line}`, `COPY ${source}: excluded by .dockerignore`);
    }
  }
  return findings;
}
