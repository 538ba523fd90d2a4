/**
 * Makes a benchmark measure the package as users install it: every import that resolves into the library's sources
 * (`src/`) loads the compiled build (`dist/`, from `npm run build`) instead. The benchmarks themselves and the test
 * support they share stay TypeScript (run by tsx); only the library is swapped. Run with
 * `node --import tsx --import ./benchmarks/use-build.mjs …`, after `npm run build` (`npm run bench` does both).
 *
 * Why: tsx compiles each source file with esbuild's `keepNames`, which wraps every function and class it creates in
 * a naming call. That costs the library (not the SDKs or Powertools, which ship compiled JavaScript) a few
 * microseconds per read that no user pays.
 */
import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';

const src = new URL('../src/', import.meta.url).href;
const dist = new URL('../dist/', import.meta.url).href;

if (!existsSync(new URL('index.js', dist))) {
  throw new Error('benchmarks/use-build.mjs: no dist/index.js; run `npm run build` first');
}

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (!resolved.url.startsWith(src)) return resolved;
    const built = `${dist}${resolved.url.slice(src.length).replace(/\.ts$/, '.js')}`;
    return { ...resolved, url: built, format: 'module' };
  },
});
