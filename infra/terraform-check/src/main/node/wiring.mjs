// Checks how the configurations of a directory fit together: arguments of `module` blocks against
// the called module's variables, `module.x.y` against its outputs, and var./local./resource/data
// references against what the directory declares.

import fs from "node:fs";
import path from "node:path";

const MODULE_META = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);
const NAME = "[A-Za-z_][A-Za-z0-9_-]*";
const REFERENCES = [
  { rule: "unknown-variable", pattern: new RegExp(`(?<![\\w.])var\\.(${NAME})`, "g") },
  { rule: "unknown-local", pattern: new RegExp(`(?<![\\w.])local\\.(${NAME})`, "g") },
  { rule: "unknown-module-output", pattern: new RegExp(`(?<![\\w.])module\\.(${NAME})\\.(${NAME})`, "g") },
  { rule: "unknown-data", pattern: new RegExp(`(?<![\\w.])data\\.(aws_[a-z0-9_]+)\\.(${NAME})`, "g") },
  { rule: "unknown-resource", pattern: new RegExp(`(?<![\\w.])(aws_[a-z0-9_]+)\\.(${NAME})`, "g") },
];

/** Declarations of one directory, merged over its .tf files (parsed) and .tf.json files. */
export function declarations(files) {
  const decl = { variables: {}, outputs: new Set(), locals: new Set(), resource: new Set(), data: new Set(), modules: {} };
  for (const { parsed, file } of files) {
    for (const [name, bodies] of Object.entries(parsed.variable ?? {})) {
      const body = Array.isArray(bodies) ? bodies[0] ?? {} : bodies;
      decl.variables[name] = { hasDefault: "default" in body, file };
    }
    for (const name of Object.keys(parsed.output ?? {})) decl.outputs.add(name);
    const locals = Array.isArray(parsed.locals) ? parsed.locals : [parsed.locals ?? {}];
    for (const block of locals) for (const name of Object.keys(block)) decl.locals.add(name);
    for (const kind of ["resource", "data"]) {
      for (const [type, byName] of Object.entries(parsed[kind] ?? {})) {
        for (const name of Object.keys(byName)) decl[kind].add(`${type}.${name}`);
      }
    }
    for (const [name, bodies] of Object.entries(parsed.module ?? {})) {
      decl.modules[name] = { body: Array.isArray(bodies) ? bodies[0] : bodies, file };
    }
  }
  return decl;
}

function* expressions(value) {
  if (typeof value === "string") {
    if (value.includes("${") || value.includes("%{")) yield value;
  } else if (Array.isArray(value)) {
    for (const element of value) yield* expressions(element);
  } else if (value && typeof value === "object") {
    for (const [key, element] of Object.entries(value)) {
      if (key.includes("${")) yield key;
      yield* expressions(element);
    }
  }
}

function lineOfText(text, needle) {
  const lines = text.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const at = lines[k].indexOf(needle);
    if (at < 0) continue;
    const comment = lines[k].search(/#|\/\//);
    if (comment < 0 || comment > at) return k + 1;
  }
  return 1;
}

/** Checks the directory `dir`; `load(dir)` returns {files, decl} for any directory or null. */
export function checkWiring(dir, load, report) {
  const here = load(dir);
  let calls = 0;
  for (const [name, call] of Object.entries(here.decl.modules)) {
    calls++;
    const file = here.files.find((f) => f.file === call.file);
    const header = file.tree.blocks.find((b) => b.name === "module" && b.labels[0] === name) ?? file.tree;
    const source = call.body.source;
    if (typeof source !== "string" || !(source.startsWith("./") || source.startsWith("../"))) continue;
    const target = load(path.resolve(dir, source));
    if (!target) {
      report(call.file, header.line, "unknown-module-source", `module "${name}": source ${source} has no .tf files`);
      continue;
    }
    for (const arg of Object.keys(call.body)) {
      if (MODULE_META.has(arg) || arg in target.decl.variables) continue;
      report(call.file, header.args[arg] ?? header.line, "unknown-module-argument",
        `module "${name}": argument "${arg}" is not a variable of ${source}`);
    }
    for (const [variable, spec] of Object.entries(target.decl.variables)) {
      if (spec.hasDefault || variable in call.body) continue;
      report(call.file, header.line, "missing-module-argument",
        `module "${name}": required variable "${variable}" of ${source} is not passed`);
    }
  }

  for (const { file, parsed, text } of here.files) {
    const seen = new Set();
    for (const expression of expressions(parsed)) {
      for (const { rule, pattern } of REFERENCES) {
        for (const match of expression.matchAll(pattern)) {
          const problem = unresolved(rule, match, here, dir, load);
          if (!problem || seen.has(match[0])) continue;
          seen.add(match[0]);
          report(file, lineOfText(text, match[0]), rule, problem);
        }
      }
    }
  }
  return calls;
}

function unresolved(rule, match, here, dir, load) {
  const { decl } = here;
  switch (rule) {
    case "unknown-variable":
      return match[1] in decl.variables ? null : `${match[0]}: no variable "${match[1]}" is declared here`;
    case "unknown-local":
      return decl.locals.has(match[1]) ? null : `${match[0]}: no local value "${match[1]}" is defined here`;
    case "unknown-data":
      return decl.data.has(`${match[1]}.${match[2]}`) ? null : `${match[0]}: no such data block here`;
    case "unknown-resource":
      return decl.resource.has(`${match[1]}.${match[2]}`) ? null : `${match[0]}: no such resource here`;
    case "unknown-module-output": {
      const call = decl.modules[match[1]];
      if (!call) return `${match[0]}: no module "${match[1]}" is called here`;
      const source = call.body.source;
      if (typeof source !== "string" || !(source.startsWith("./") || source.startsWith("../"))) return null;
      const target = load(path.resolve(dir, source));
      if (!target || target.decl.outputs.has(match[2])) return null;
      return `${match[0]}: module ${source} has no output "${match[2]}"`;
    }
    default:
      return null;
  }
}

export function terraformDirectories(root) {
  const found = [];
  const walk = (dir) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && (e.name.endsWith(".tf") || e.name.endsWith(".tf.json")))) found.push(dir);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules") {
        walk(path.join(dir, entry.name));
      }
    }
  };
  walk(root);
  return found.sort();
}
