// Bundles src/main.ts (and the SDK's TypeScript sources it imports) into dist/ with esbuild.
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  outfile: 'dist/main.js',
  logLevel: 'info',
});
cpSync('index.html', 'dist/index.html');
