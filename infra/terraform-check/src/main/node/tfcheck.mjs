#!/usr/bin/env node
// Offline checks of Terraform configurations.
//
//   node tfcheck.mjs [--cache DIR] ROOT...   check every directory with .tf files under each ROOT
//   node tfcheck.mjs --dump FILE...          print {file: hcl2json's JSON} for .tf files
//
// Every .tf file is parsed by HCL's own parser (hcl2json, compiled to WebAssembly); a syntax error
// is a finding. The check prints a JSON report on stdout and one "file:line: message" per finding
// on stderr, and exits 1 when there is a finding.

import fs from "node:fs";
import path from "node:path";
import { parse } from "@cdktf/hcl2json";
import { loadSchema } from "./schema.mjs";
import { outline } from "./outline.mjs";
import { checkBlocks } from "./blocks.mjs";
import { checkWiring, declarations, terraformDirectories } from "./wiring.mjs";

async function main(argv) {
  let cache = null;
  let dump = false;
  const roots = [];
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === "--cache") cache = argv[++k];
    else if (argv[k] === "--dump") dump = true;
    else roots.push(argv[k]);
  }
  if (dump) {
    const parsed = {};
    for (const file of roots) parsed[file] = await parse(file, fs.readFileSync(file, "utf8"));
    process.stdout.write(JSON.stringify(parsed, null, 2) + "\n");
    return 0;
  }
  if (roots.length === 0) {
    process.stderr.write("usage: tfcheck.mjs [--cache DIR] ROOT... | --dump FILE...\n");
    return 2;
  }

  const findings = [];
  const report = (file, line, rule, message) => findings.push({ file, line, rule, message });
  const schema = loadSchema(cache);

  // Every directory is parsed once, whether reached as a root or as a module source.
  const directories = new Map();
  const parseDirectory = async (dir) => {
    if (directories.has(dir)) return;
    directories.set(dir, null);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return;
    const files = [];
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (name.endsWith(".tf")) {
        const text = fs.readFileSync(file, "utf8");
        try {
          files.push({ file, text, parsed: await parse(file, text), tree: outline(text) });
        } catch (error) {
          const at = String(error.message).match(/:(\d+),\d+/);
          report(file, at ? Number(at[1]) : 1, "syntax", String(error.message));
        }
      } else if (name.endsWith(".tf.json")) {
        const text = fs.readFileSync(file, "utf8");
        try {
          files.push({ file, text, parsed: JSON.parse(text), tree: { line: 1, blocks: [], args: {} }, json: true });
        } catch (error) {
          report(file, 1, "syntax", String(error.message));
        }
      }
    }
    if (files.length > 0) directories.set(dir, { files, decl: declarations(files) });
    for (const { parsed } of files) {
      for (const bodies of Object.values(parsed.module ?? {})) {
        const source = (Array.isArray(bodies) ? bodies[0] : bodies)?.source;
        if (typeof source === "string" && (source.startsWith("./") || source.startsWith("../"))) {
          await parseDirectory(path.resolve(dir, source));
        }
      }
    }
  };

  const checked = [];
  for (const root of roots) {
    for (const dir of terraformDirectories(path.resolve(root))) {
      await parseDirectory(dir);
      checked.push(dir);
    }
  }

  let blocks = 0;
  let moduleCalls = 0;
  const load = (dir) => directories.get(dir) ?? null;
  for (const dir of checked) {
    const here = load(dir);
    if (!here) continue;
    for (const file of here.files) {
      if (!file.json) blocks += checkBlocks(file.parsed, file.file, file.tree, schema, report);
    }
    moduleCalls += checkWiring(dir, load, report);
  }

  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  for (const f of findings) process.stderr.write(`${f.file}:${f.line}: [${f.rule}] ${f.message}\n`);
  const result = {
    provider: "hashicorp/aws",
    provider_version: schema.provider_version,
    bindings_version: schema.bindings_version,
    directories: checked,
    files: checked.flatMap((dir) => load(dir)?.files.map((f) => f.file) ?? []),
    blocks,
    module_calls: moduleCalls,
    findings,
  };
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  return findings.length > 0 ? 1 : 0;
}

// The WebAssembly runtime behind hcl2json keeps the event loop alive, so the exit is explicit.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exit(3); },
);
