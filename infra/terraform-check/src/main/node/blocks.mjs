// Checks resource and data blocks against the provider schema: known type, known arguments
// (nested blocks and dynamic blocks included), every required argument present.

import { locate } from "./outline.mjs";

const RESOURCE_META = new Set(["count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"]);
const DATA_META = new Set(["count", "for_each", "provider", "depends_on", "lifecycle"]);

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

export function checkBlocks(parsed, file, tree, schema, report) {
  let counted = 0;
  for (const kind of ["resource", "data"]) {
    for (const [type, byName] of Object.entries(parsed[kind] ?? {})) {
      for (const [name, bodies] of Object.entries(byName)) {
        counted++;
        const header = tree.blocks.find((b) => b.name === kind && b.labels[0] === type && b.labels[1] === name) ?? tree;
        const address = `${kind === "data" ? "data." : ""}${type}.${name}`;
        const root = schema[kind][type];
        if (!root) {
          report(file, header.line, "unknown-type",
            `${address}: unknown ${kind === "data" ? "data source" : "resource"} type "${type}" in hashicorp/aws ${schema.provider_version}`);
          continue;
        }
        const meta = kind === "data" ? DATA_META : RESOURCE_META;
        for (const body of bodies) {
          checkBody(body, root, { schema, file, header, address, meta, report }, [], true);
        }
      }
    }
  }
  return counted;
}

function checkBody(body, fqn, ctx, path, top) {
  const args = ctx.schema.structs[fqn] ?? {};
  const where = (extra) => locate(ctx.header, [...path, ...extra]);
  const blockCounts = {};

  for (const [key, value] of Object.entries(body)) {
    if (top && ctx.meta.has(key)) continue;
    if (key === "dynamic") {
      for (const [blockName, dynamics] of Object.entries(value)) {
        dynamics.forEach((dynamic, index) => {
          const step = { dynamic: blockName, index };
          const spec = args[blockName];
          if (!spec || !spec[1]) {
            ctx.report(ctx.file, where([step]), "unknown-argument",
              `${ctx.address}: "${blockName}" is not a block of ${describe(path)}`);
            return;
          }
          for (const content of dynamic.content ?? []) {
            checkBody(content, spec[1], ctx, [...path, step], false);
          }
        });
      }
      continue;
    }
    const spec = args[key];
    if (!spec) {
      ctx.report(ctx.file, where([{ arg: key }]), "unknown-argument",
        `${ctx.address}: unsupported argument "${key}" in ${describe(path)}${suggest(key, Object.keys(args))}`);
      continue;
    }
    const nested = spec[1];
    if (!nested) continue;
    const elements = Array.isArray(value) ? value : [value];
    elements.forEach((element) => {
      if (!isObject(element)) return;
      const index = blockCounts[key] = (blockCounts[key] ?? -1) + 1;
      checkBody(element, nested, ctx, [...path, { block: key, index }], false);
    });
  }

  for (const [name, [required]] of Object.entries(args)) {
    if (!required || name in body || body.dynamic?.[name]) continue;
    ctx.report(ctx.file, where([]), "missing-required",
      `${ctx.address}: missing required argument "${name}" in ${describe(path)}`);
  }
}

function describe(path) {
  if (path.length === 0) return "the block body";
  return path.map((step) => step.dynamic ?? step.block).join(" > ");
}

function suggest(key, known) {
  let best = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) { best = candidate; bestDistance = distance; }
  }
  return best ? ` (did you mean "${best}"?)` : "";
}

function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length];
}
