// Source positions for findings. hcl2json gives the parsed structure but no line numbers, so this
// scanner walks the same (already parsed, hence valid) HCL text and records where each block and
// argument starts. It understands only what affects structure: comments, quoted templates with
// nested interpolations, heredocs and bracket nesting inside expressions.

function lineIndex(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return lo + 1;
  };
}

const IDENT = /[A-Za-z0-9_\-]/;

export function outline(text) {
  const lineOf = lineIndex(text);
  let i = 0;

  const skipComment = () => {
    if (text[i] === "#" || (text[i] === "/" && text[i + 1] === "/")) {
      while (i < text.length && text[i] !== "\n") i++;
      return true;
    }
    if (text[i] === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      return true;
    }
    return false;
  };

  const skipHeredoc = () => {
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n/.exec(text.slice(i, i + 200));
    if (!m) return false;
    i += m[0].length;
    while (i < text.length) {
      const eol = text.indexOf("\n", i);
      const lineText = text.slice(i, eol < 0 ? text.length : eol);
      i = eol < 0 ? text.length : eol + 1;
      if (lineText.trim() === m[1]) break;
    }
    return true;
  };

  // Skips a quoted template starting at the opening quote.
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") { i += 2; continue; }
      // "$${" and "%%{" are literal text, not interpolations.
      if ((text[i] === "$" || text[i] === "%") && text[i + 1] === text[i] && text[i + 2] === "{") { i += 3; continue; }
      if ((text[i] === "$" || text[i] === "%") && text[i + 1] === "{") {
        i += 2;
        skipExpression("}");
        i++;
        continue;
      }
      i++;
    }
    i++;
  };

  // Skips an expression up to (not including) `closer` at depth 0; newline ends it when closer is "\n".
  const skipExpression = (closer) => {
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (depth === 0 && (c === closer || (closer === "\n" && c === "}"))) return;
      if (skipComment()) continue;
      if (c === '"') { skipString(); continue; }
      if (c === "<" && text[i + 1] === "<" && skipHeredoc()) continue;
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") depth--;
      i++;
    }
  };

  const readIdent = () => {
    const start = i;
    while (i < text.length && IDENT.test(text[i])) i++;
    return text.slice(start, i);
  };

  const root = { name: null, labels: [], line: 1, blocks: [], args: {} };
  const stack = [root];
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n") { i++; continue; }
    if (skipComment()) continue;
    if (c === "}") { if (stack.length > 1) stack.pop(); i++; continue; }
    const start = i;
    const name = readIdent();
    if (!name) { i++; continue; }
    const body = stack[stack.length - 1];
    const labels = [];
    while (i < text.length) {
      while (text[i] === " " || text[i] === "\t") i++;
      if (text[i] === "=" && text[i + 1] !== "=") {
        i++;
        body.args[name] = body.args[name] ?? lineOf(start);
        skipExpression("\n");
        break;
      }
      if (text[i] === '"') {
        const s = i;
        skipString();
        labels.push(JSON.parse(text.slice(s, i)));
        continue;
      }
      if (text[i] === "{") {
        i++;
        const block = { name, labels, line: lineOf(start), blocks: [], args: {} };
        body.blocks.push(block);
        stack.push(block);
        break;
      }
      const label = readIdent();
      if (label) { labels.push(label); continue; }
      i++;
      break;
    }
  }
  return root;
}

/**
 * Line of the deepest located element of `path` below `node`. Path steps are {block, index}
 * (the index-th literal block of that name), {dynamic, index} (the index-th `dynamic "name"`
 * block, entered at its content) or {arg}.
 */
export function locate(node, path) {
  let line = node.line;
  let current = node;
  for (const step of path) {
    if (step.arg !== undefined) {
      return current.args[step.arg] ?? current.blocks.find((b) => b.name === step.arg)?.line ?? line;
    }
    const candidates = step.dynamic !== undefined
      ? current.blocks.filter((b) => b.name === "dynamic" && b.labels[0] === step.dynamic)
      : current.blocks.filter((b) => b.name === step.block);
    const next = candidates[step.index ?? 0];
    if (!next) return line;
    line = next.line;
    current = step.dynamic !== undefined ? (next.blocks.find((b) => b.name === "content") ?? next) : next;
  }
  return line;
}

/** The top-level block with this name and labels, e.g. ("resource", ["aws_s3_bucket", "logs"]). */
export function findBlock(root, name, labels) {
  return root.blocks.find((b) => b.name === name
    && labels.every((label, k) => b.labels[k] === label)) ?? null;
}
