/**
 * The dev packages a service image needs at run time. Services run their TypeScript through
 * `@swc-node/register` (tools/register.js), a devDependency, so the image is `npm ci --omit=dev`
 * plus exactly this closure, copied from a full `npm ci` of the same lockfile: both installs lay
 * packages out as the lockfile says, so a copied folder lands where Node resolves it.
 *
 *   node -r ./tools/register.js tools/deploy-check/runtime-packages.ts --into <dir> <package>…
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface LockedPackage {
  readonly version?: string;
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
}

/** `packages` of a package-lock.json (lockfileVersion 2 or 3): install location → package. */
export type LockedPackages = Readonly<Record<string, LockedPackage>>;

/**
 * Install locations of the dev-only packages that `roots` need, through their dependencies, the
 * optional ones actually installed (a platform's native binary) and their required peers. Packages
 * a production install has anyway are left out.
 */
export function devRuntimeClosure(packages: LockedPackages, roots: readonly string[], installed: (location: string) => boolean): string[] {
  const seen = new Set<string>();
  const pending = roots.map((name) => {
    const location = locate(packages, '', name);
    if (!location) throw new Error(`${name} is not in the lockfile`);
    return location;
  });
  while (pending.length > 0) {
    const location = pending.pop()!;
    if (seen.has(location)) continue;
    seen.add(location);
    const pkg = packages[location]!;
    const optionalPeer = (name: string) => pkg.peerDependenciesMeta?.[name]?.optional === true;
    const wanted = [
      ...Object.keys(pkg.dependencies ?? {}).map((name) => ({ name, required: true })),
      ...Object.keys(pkg.optionalDependencies ?? {}).map((name) => ({ name, required: false })),
      ...Object.keys(pkg.peerDependencies ?? {}).map((name) => ({ name, required: !optionalPeer(name) })),
    ];
    for (const { name, required } of wanted) {
      const found = locate(packages, location, name);
      if (found && installed(found)) pending.push(found);
      else if (required && !found) throw new Error(`${location} needs ${name}, which is not in the lockfile`);
    }
  }
  return [...seen].filter((location) => packages[location]!.dev === true).sort();
}

/** Where Node finds `name` from a package installed at `from`: its own node_modules, then each parent's. */
function locate(packages: LockedPackages, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

function main(argv: readonly string[]): void {
  const intoAt = argv.indexOf('--into');
  const into = intoAt >= 0 ? argv[intoAt + 1] : undefined;
  const roots = intoAt < 0 ? argv : argv.filter((_, i) => i !== intoAt && i !== intoAt + 1);
  if (roots.length === 0) {
    console.error('usage: runtime-packages.ts [--into <dir>] <package>…');
    process.exit(2);
  }
  const root = resolve(__dirname, '../..');
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: LockedPackages };
  const closure = devRuntimeClosure(lock.packages, roots, (location) => existsSync(join(root, location, 'package.json')));
  for (const location of closure) {
    console.log(location);
    if (into) cpSync(join(root, location), join(into, location), { recursive: true });
  }
}

if (require.main === module) main(process.argv.slice(2));
