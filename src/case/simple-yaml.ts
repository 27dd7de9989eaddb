/**
 * A quick reader for the front-matter nearly every case has — one `key: value` a line, each value a plain scalar, a
 * quoted string without escapes, or a one-line `[a, b]` list — giving exactly the value the yaml package gives, or
 * nothing when the text is anything else. The yaml package needs 1–4 ms a front-matter until its code is warm, which
 * is a large part of linting many cases; it still reads every other front-matter, and builds the Document that
 * positions come from only when a message needs one.
 */

/** Characters the reader leaves to the yaml package: controls, tabs, CR, BOM, non-characters and surrogates. */
const unusual = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]/;
const entry = /^([A-Za-z_][A-Za-z0-9_-]{0,63}): +(.*)$/;
// YAML 1.2 core schema (yaml's schema/core and schema/common): a plain scalar matching any of these is not a string.
const coreNull = /^(?:~|[Nn]ull|NULL)?$/;
const coreTrue = /^(?:[Tt]rue|TRUE)$/;
const coreFalse = /^(?:[Ff]alse|FALSE)$/;
const coreNumber = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const smallInt = /^(?:0|[1-9][0-9]{0,14})$/;
// A plain scalar may not start with an indicator; `:` and `#` (mapping, comment) are left to the yaml package anywhere.
const blockPlain = /^[^-?:,[\]{}#&*!|>'"%@`\s](?:[^:#]*[^:#\s])?$/;
// In a flow list the flow indicators end a scalar as well.
const flowPlain = /^[^-?:,[\]{}#&*!|>'"%@`\s](?:[^:#,[\]{}]*[^:#,[\]{}\s])?$/;

/** The front-matter's value, when the text is in the simple form; otherwise undefined (use the yaml package). */
export function readSimpleYaml(text: string): { value: Record<string, unknown> } | undefined {
  if (unusual.test(text)) return undefined;
  const value: Record<string, unknown> = {};
  let keys = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = entry.exec(line);
    if (!m) return undefined;
    const key = m[1]!;
    if (coreNull.test(key) || coreTrue.test(key) || coreFalse.test(key) || key === '__proto__' || Object.hasOwn(value, key)) return undefined;
    const v = scalarOrList(m[2]!.replace(/(?<! ) +$/, ''));
    if (v === undefined) return undefined;
    value[key] = v.value;
    keys++;
  }
  return keys > 0 ? { value } : undefined;
}

function scalarOrList(raw: string): { value: unknown } | undefined {
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']')) return undefined;
    const inner = raw.slice(1, -1);
    if (inner === '') return { value: [] };
    const items: unknown[] = [];
    for (const piece of inner.split(',')) {
      // YAML separates with spaces only (a U+3000 is part of the value).
      const item = scalar(piece.replace(/^ +|(?<! ) +$/g, ''), flowPlain);
      if (item === undefined) return undefined;
      items.push(item.value);
    }
    return { value: items };
  }
  return scalar(raw, blockPlain);
}

function scalar(raw: string, plain: RegExp): { value: unknown } | undefined {
  if (raw === '') return undefined;
  const quote = raw[0];
  if (quote === '"' || quote === "'") {
    if (raw.length < 2 || !raw.endsWith(quote)) return undefined;
    const inner = raw.slice(1, -1);
    // No escapes, no doubled quotes, no commas (which would have split a list item).
    return /["'\\,]/.test(inner) ? undefined : { value: inner };
  }
  if (!plain.test(raw)) return undefined;
  if (smallInt.test(raw)) return { value: parseInt(raw, 10) };
  if (coreTrue.test(raw)) return { value: true };
  if (coreFalse.test(raw)) return { value: false };
  if (coreNull.test(raw) || coreNumber.test(raw)) return undefined;
  return { value: raw };
}
