/**
 * What the deployment files must agree with, read from the sources themselves: the services in
 * apps/, the environment variables each one reads (the property names of its settings classes),
 * its HTTP port and the topics it consumes (its service descriptor), and the topic catalogue.
 * The sources are parsed, not loaded, so nothing here starts a NestJS module.
 */
import { TOPICS, type TopicDefinition } from '@oms/contracts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export interface ServiceFacts {
  readonly name: string;
  readonly defaultHttpPort: number;
  /** Every topic its consumer group reads, including the diagnostics every service answers. */
  readonly consumes: readonly TopicDefinition[];
  /** Every environment variable it reads: the shared settings and its own. */
  readonly env: ReadonlySet<string>;
}

export interface RepoFacts {
  readonly services: ReadonlyMap<string, ServiceFacts>;
  readonly topics: readonly TopicDefinition[];
  /** Variables every service reads (libs/platform's ServiceEnv). */
  readonly sharedEnv: ReadonlySet<string>;
}

const SHARED_ENV_FILE = 'libs/platform/src/config/service-env.ts';
const START_SERVICE_FILE = 'libs/platform/src/start-service.ts';

export function readRepoFacts(root: string): RepoFacts {
  const sharedEnv = new Set(classProperties(parse(join(root, SHARED_ENV_FILE)), 'ServiceEnv'));
  if (sharedEnv.size === 0) throw new Error(`${SHARED_ENV_FILE}: no ServiceEnv properties found`);
  const everyServiceConsumes = topicsBesides(parse(join(root, START_SERVICE_FILE)), 'consumes');
  const services = new Map<string, ServiceFacts>();
  for (const app of readdirSync(join(root, 'apps')).sort()) {
    const dir = join(root, 'apps', app, 'src', 'app');
    if (!existsSync(join(root, 'apps', app, 'src', 'main.ts')) || !existsSync(dir)) continue;
    const files = readdirSync(dir);
    const own = files.filter((f) => f.endsWith('.env.ts')).flatMap((f) => classProperties(parse(join(dir, f))));
    const descriptors = files.filter((f) => f.endsWith('.service.ts')).map((f) => descriptorIn(parse(join(dir, f))));
    const descriptor = descriptors.find((d) => d?.name === app);
    if (!descriptor) throw new Error(`apps/${app}: no service descriptor named '${app}' in src/app/*.service.ts`);
    services.set(app, {
      name: app,
      defaultHttpPort: descriptor.defaultHttpPort,
      consumes: [...descriptor.consumes, ...everyServiceConsumes].map(topic),
      env: new Set([...sharedEnv, ...own]),
    });
  }
  return { services, topics: Object.values(TOPICS), sharedEnv };
}

function topic(key: string): TopicDefinition {
  const found = (TOPICS as Record<string, TopicDefinition>)[key];
  if (!found) throw new Error(`TOPICS.${key} is not in libs/contracts`);
  return found;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** Instance property names of the named class, or of every class in the file. */
function classProperties(source: ts.SourceFile, className?: string): string[] {
  return source.statements
    .filter((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && (className === undefined || s.name?.text === className))
    .flatMap((c) => c.members)
    .filter((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword))
    .map((m) => m.name.getText(source));
}

interface Descriptor {
  readonly name: string;
  readonly defaultHttpPort: number;
  readonly consumes: readonly string[];
}

/** The object literal with `name`, `defaultHttpPort` and `consumes: [TOPICS.x, …]`. */
function descriptorIn(source: ts.SourceFile): Descriptor | undefined {
  let found: Descriptor | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const property = (name: string) =>
        node.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === name)?.initializer;
      const name = property('name');
      const port = property('defaultHttpPort');
      const consumes = property('consumes');
      if (name && ts.isStringLiteral(name) && port && ts.isNumericLiteral(port) && consumes && ts.isArrayLiteralExpression(consumes)) {
        found = { name: name.text, defaultHttpPort: Number(port.text), consumes: consumes.elements.map((e) => topicKey(e, source)) };
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `TOPICS.x` elements written beside `...descriptor.<field>` (what startService adds to every service). */
function topicsBesides(source: ts.SourceFile, field: string): string[] {
  const keys: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node) && node.elements.some((e) => ts.isSpreadElement(e) && e.expression.getText(source) === `descriptor.${field}`)) {
      keys.push(...node.elements.filter((e) => !ts.isSpreadElement(e)).map((e) => topicKey(e, source)));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...new Set(keys)];
}

function topicKey(node: ts.Node, source: ts.SourceFile): string {
  if (ts.isPropertyAccessExpression(node) && node.expression.getText(source) === 'TOPICS') return node.name.text;
  throw new Error(`${source.fileName}: expected TOPICS.<name>, found ${node.getText(source)}`);
}
