// `npm run size`: how much JavaScript the Overview's first load costs, from the build in
// dist/: index.html's entry script and modulepreloads, plus every chunk they import
// statically (dynamic import() chunks load later and are not counted), each gzipped at
// level 9 as the API's GZipMiddleware sends them.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");
const indexHtml = path.join(dist, "index.html");
if (!existsSync(indexHtml)) {
  console.error(`no build at ${dist}: run npm run build first`);
  process.exit(1);
}

const html = readFileSync(indexHtml, "utf8");
const entries = [
  ...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g),
  ...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g),
].map((match) => path.join(dist, match[1]));

// Static imports in Vite's minified chunks: import{a as b}from"./x.js"; import"./y.js";
// export{c}from"./z.js". An import( call is dynamic and skipped.
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$*{},\s]+?\s*from\s*)?["']([^"']+\.js)["']/g;

const seen = new Set();
const queue = [...entries];
while (queue.length) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  seen.add(file);
  const code = readFileSync(file, "utf8");
  for (const [, specifier] of code.matchAll(STATIC_IMPORT)) {
    queue.push(path.resolve(path.dirname(file), specifier));
  }
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
let raw = 0;
let gzipped = 0;
for (const file of seen) {
  const code = readFileSync(file);
  const size = gzipSync(code, { level: 9 }).length;
  raw += code.length;
  gzipped += size;
  console.log(`${path.relative(dist, file).padEnd(40)} ${kB(code.length).padStart(10)}  gzip ${kB(size).padStart(9)}`);
}
console.log(`first-load JS: ${seen.size} file(s), ${kB(raw)}, ${kB(gzipped)} gzipped`);
