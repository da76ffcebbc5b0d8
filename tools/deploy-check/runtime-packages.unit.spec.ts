import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { devRuntimeClosure, type LockedPackages } from './runtime-packages';

const root = resolve(__dirname, '../..');

describe('dev packages a service image needs at run time', () => {
  it('from the real lockfile: @swc-node/register with SWC and TypeScript, and no test or lint tooling', () => {
    const { packages } = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: LockedPackages };
    const closure = devRuntimeClosure(packages, ['@swc-node/register'], () => true);
    expect(closure).toEqual(expect.arrayContaining(['node_modules/@swc-node/register', 'node_modules/@swc/core', 'node_modules/typescript']));
    expect(closure.filter((l) => /node_modules\/(jest|nx|eslint|@nx\/|testcontainers)/.test(l))).toEqual([]);
    expect(closure.every((l) => packages[l]!.dev === true)).toBe(true);
  });

  it('resolves nested installs first, follows installed optional packages and required peers, and leaves production packages out', () => {
    const packages: LockedPackages = {
      '': {},
      'node_modules/root': { dev: true, dependencies: { shared: '^2', prod: '^1' }, optionalDependencies: { 'native-x64': '1', 'native-arm64': '1' }, peerDependencies: { peer: '*', maybe: '*' }, peerDependenciesMeta: { maybe: { optional: true } } },
      'node_modules/root/node_modules/shared': { dev: true, version: '2.0.0' },
      'node_modules/shared': { dev: true, version: '1.0.0' },
      'node_modules/prod': {},
      'node_modules/native-x64': { dev: true, optional: true },
      'node_modules/native-arm64': { dev: true, optional: true },
      'node_modules/peer': { dev: true },
    };
    const installed = (location: string) => location !== 'node_modules/native-arm64';
    expect(devRuntimeClosure(packages, ['root'], installed)).toEqual([
      'node_modules/native-x64',
      'node_modules/peer',
      'node_modules/root',
      'node_modules/root/node_modules/shared',
    ]);
    expect(() => devRuntimeClosure(packages, ['missing'], installed)).toThrow('missing is not in the lockfile');
  });
});
