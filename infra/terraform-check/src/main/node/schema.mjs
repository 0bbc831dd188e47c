// The AWS provider's argument schema, read from the jsii assembly of the prebuilt CDK Terrain (cdktn) bindings.
//
// Every resource and data source class documents its Terraform type in a registry link
// ("{@link https://registry.terraform.io/providers/hashicorp/aws/<version>/docs/resources/x aws_x}")
// and takes one config struct. Every struct property documents its Terraform argument name in a
// registry anchor ("...#arg_name Type#arg_name") or as "arg_name block."; a property without
// `optional` is a required argument. A property whose type is a struct of the same assembly is a
// nested block with that struct's schema.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PACKAGE = "@cdktn/provider-aws";

const TYPE_LINK = /registry\.terraform\.io\/providers\/hashicorp\/aws\/([0-9][^/]*)\/docs\/(resources|data-sources)\/\S+ (aws_[a-z0-9_]+)\}/;
const ARG_ANCHOR = /#([A-Za-z0-9_]+) [A-Za-z0-9_]+#/;
const BLOCK_SUMMARY = /^([a-z0-9_]+) block\./;

function argumentName(property) {
  const docs = `${property.docs?.summary ?? ""} ${property.docs?.remarks ?? ""}`;
  const anchor = docs.match(ARG_ANCHOR);
  if (anchor) return anchor[1];
  const block = docs.match(BLOCK_SUMMARY);
  if (block) return block[1];
  return property.name.replace(/([A-Z])/g, "_$1").toLowerCase();
}

/** The struct fqn a property type refers to, through unions and collections; null for primitives. */
function structOf(type, types) {
  if (!type) return null;
  if (type.fqn) return types[type.fqn]?.datatype ? type.fqn : null;
  if (type.collection) return structOf(type.collection.elementtype, types);
  if (type.union) {
    for (const member of type.union.types) {
      const found = structOf(member, types);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Compact schema: { provider_version, structs: {fqn: {arg: [required, nestedFqn|null]}},
 * resource: {type: fqn}, data: {type: fqn} }. Nested structs are shared by reference (fqn).
 */
function extract(assembly) {
  const types = assembly.types;
  const structs = {};
  const roots = { resource: {}, data: {} };
  let providerVersion = null;

  const addStruct = (fqn) => {
    if (structs[fqn]) return;
    const args = {};
    structs[fqn] = args;
    const collect = (typeFqn) => {
      const type = types[typeFqn];
      if (!type) return;
      for (const parent of type.interfaces ?? []) collect(parent);
      for (const property of type.properties ?? []) {
        const nested = structOf(property.type, types);
        args[argumentName(property)] = [!property.optional, nested];
        if (nested) addStruct(nested);
      }
    };
    collect(fqn);
  };

  for (const type of Object.values(types)) {
    if (type.kind !== "class") continue;
    if (!/^cdkt[fn]\.Terraform(Resource|DataSource)$/.test(type.base ?? "")) continue;
    const link = (type.docs?.summary ?? "").match(TYPE_LINK);
    const config = type.initializer?.parameters?.find((p) => p.name === "config");
    if (!link || !config) continue;
    providerVersion = providerVersion ?? link[1];
    const kind = link[2] === "resources" ? "resource" : "data";
    roots[kind][link[3]] = config.type.fqn;
    addStruct(config.type.fqn);
  }
  return { provider_version: providerVersion, structs, ...roots };
}

/** Loads the schema, from a cache file next to the build output when one matches the package version. */
export function loadSchema(cacheDir) {
  const packageJson = require.resolve(`${PACKAGE}/package.json`);
  const packageDir = path.dirname(packageJson);
  const version = JSON.parse(fs.readFileSync(packageJson, "utf8")).version;
  const cacheFile = cacheDir ? path.join(cacheDir, `aws-schema-${version}.json`) : null;
  if (cacheFile && fs.existsSync(cacheFile)) {
    return JSON.parse(fs.readFileSync(cacheFile, "utf8"));
  }
  const assembly = JSON.parse(fs.readFileSync(path.join(packageDir, ".jsii"), "utf8"));
  const schema = { bindings_version: version, ...extract(assembly) };
  if (cacheFile) {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed, so a concurrent run never reads half a file.
    const partial = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(partial, JSON.stringify(schema));
    fs.renameSync(partial, cacheFile);
  }
  return schema;
}
