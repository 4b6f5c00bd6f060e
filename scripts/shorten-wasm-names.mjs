// Shortens the names the .wasm and its wasm-bindgen JS use to reach each other, in one
// wasm-bindgen output directory (run after wasm-opt, before minifying the JS):
//   - imports: `__wbg_<name>_<16 hex digits>` → a short name; for `--target web` their module
//     "./gotrue_wasm_bg.js" becomes "a" too (for `--target bundler` it stays: bundlers
//     resolve it as a real module);
//   - exports: `core_call`, `__wbindgen_malloc`, the closure shims' mangled names… → short.
// Each import name occurs exactly once in the JS (the key of the web glue's import object, or
// an `export function` of the bundler glue), and each export is only reached as `wasm.NAME`;
// anything else means wasm-bindgen's output changed shape, and the directory is left as it
// was with an error on stderr and exit code 1 (GOTRUE_WASM_SHORTEN=optional: a warning and 0;
// the package works either way, only larger).
// Before writing, the renamed module is linked against the renamed JS in Node: every import
// must be provided, and every `wasm.NAME` must be an export.
//
//   node scripts/shorten-wasm-names.mjs web|bundler OUTDIR
import { readFileSync, writeFileSync, mkdtempSync, cpSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';

const [target, dir] = process.argv.slice(2);
if (!['web', 'bundler'].includes(target) || !dir) {
  console.error('usage: node scripts/shorten-wasm-names.mjs web|bundler OUTDIR');
  process.exit(2);
}
const WASM = 'gotrue_wasm_bg.wasm';
const WASM_TYPES = 'gotrue_wasm_bg.wasm.d.ts';
const GLUE = target === 'web' ? ['gotrue_wasm.js'] : ['gotrue_wasm_bg.js', 'gotrue_wasm.js'];
const IMPORT_MODULE = './gotrue_wasm_bg.js';

class Unexpected extends Error {}
const expect = (ok, message) => {
  if (!ok) throw new Unexpected(message);
};

// ---------------------------------------------------------------- wasm binary reading/writing
function reader(bytes, start, end) {
  let at = start;
  const r = {
    get at() {
      return at;
    },
    done: () => at >= end,
    byte: () => {
      expect(at < end, 'truncated section');
      return bytes[at++];
    },
    uleb: () => {
      let result = 0n;
      let shift = 0n;
      for (;;) {
        const b = r.byte();
        result |= BigInt(b & 0x7f) << shift;
        shift += 7n;
        if (!(b & 0x80)) return Number(result);
      }
    },
    name: () => {
      const length = r.uleb();
      expect(at + length <= end, 'truncated name');
      const text = Buffer.from(bytes.subarray(at, at + length)).toString('utf8');
      at += length;
      return text;
    },
    limits: () => {
      const flags = r.byte();
      r.uleb();
      if (flags & 1) r.uleb();
    },
  };
  return r;
}

const uleb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
};
const name = (text) => {
  const utf8 = Buffer.from(text, 'utf8');
  return Buffer.concat([uleb(utf8.length), utf8]);
};

function sections(bytes) {
  expect(bytes.readUInt32LE(0) === 0x6d736100 && bytes.readUInt32LE(4) === 1, 'not a wasm module (version 1)');
  const list = [];
  const r = reader(bytes, 8, bytes.length);
  while (!r.done()) {
    const id = r.byte();
    const size = r.uleb();
    const start = r.at;
    list.push({ id, start, end: start + size, raw: bytes.subarray(start, start + size) });
    reader(bytes, start, start + size); // bounds
    for (let i = 0; i < size; i++) r.byte();
  }
  return list;
}

/** Import section entries, each with the raw bytes of its descriptor. */
function readImports(bytes, section) {
  const r = reader(bytes, section.start, section.end);
  const count = r.uleb();
  const list = [];
  for (let i = 0; i < count; i++) {
    const module = r.name();
    const field = r.name();
    const descStart = r.at;
    const kind = r.byte();
    if (kind === 0x00) r.uleb(); // function: type index
    else if (kind === 0x01) {
      const ref = r.byte(); // table: reference type, limits
      expect(ref === 0x70 || ref === 0x6f, `table import of reference type 0x${ref.toString(16)}`);
      r.limits();
    } else if (kind === 0x02) r.limits(); // memory
    else if (kind === 0x03) {
      const type = r.byte(); // global: value type, mutability
      expect([0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f].includes(type), `global import of type 0x${type.toString(16)}`);
      r.byte();
    } else if (kind === 0x04) {
      r.byte(); // tag: attribute, type index
      r.uleb();
    } else expect(false, `import kind 0x${kind.toString(16)}`);
    list.push({ module, field, desc: bytes.subarray(descStart, r.at) });
  }
  expect(r.done(), 'trailing bytes in the import section');
  return list;
}

function readExports(bytes, section) {
  const r = reader(bytes, section.start, section.end);
  const count = r.uleb();
  const list = [];
  for (let i = 0; i < count; i++) {
    const field = r.name();
    const kind = r.byte();
    const index = r.uleb();
    list.push({ field, kind, index });
  }
  expect(r.done(), 'trailing bytes in the export section');
  return list;
}

// ---------------------------------------------------------------- names
const FIRST = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$';
const REST = `${FIRST}0123456789`;
function* shortNames() {
  for (let length = 1; ; length++) {
    const indices = new Array(length).fill(0);
    for (;;) {
      yield indices.map((i, at) => (at === 0 ? FIRST : REST)[i]).join('');
      let at = length - 1;
      while (at >= 0 && ++indices[at] === (at === 0 ? FIRST : REST).length) indices[at--] = 0;
      if (at < 0) break;
    }
  }
}
const RESERVED = new Set(['do', 'if', 'in', 'for', 'let', 'new', 'try', 'var', 'case', 'else', 'enum', 'eval', 'null', 'this', 'true', 'void', 'with', 'await', 'break', 'catch', 'class', 'const', 'false', 'super', 'throw', 'while', 'yield', 'delete', 'export', 'import', 'public', 'return', 'static', 'switch', 'typeof', 'default', 'extends', 'finally', 'package', 'private', 'continue', 'debugger', 'function', 'arguments', 'interface', 'protected', 'implements', 'instanceof', '__proto__', 'constructor']);
const escape = (text) => text.replace(/[$.*+?^()[\]{}|\\]/g, '\\$&');
const token = (text) => new RegExp(`(?<![\\w$])${escape(text)}(?![\\w$])`, 'g');

// ---------------------------------------------------------------- rewrite
function rewrite(work) {
  const bytes = readFileSync(join(work, WASM));
  const list = sections(bytes);
  const importSection = list.find((s) => s.id === 2);
  const exportSection = list.find((s) => s.id === 7);
  expect(importSection && exportSection, 'no import or export section');
  const imports = readImports(bytes, importSection);
  const exports = readExports(bytes, exportSection);
  const js = Object.fromEntries(GLUE.map((file) => [file, readFileSync(join(work, file), 'utf8')]));
  const allJs = Object.values(js).join('\n');

  // Short names, never one of the old names (so no replacement can hit another's result).
  // Exports and the web glue's import keys are property names; the bundler glue's imports
  // become top-level functions, so those also avoid every token of the JS (no shadowing).
  const old = new Set([...imports.map((i) => i.field), ...exports.map((e) => e.field)]);
  const generator = (avoidJsTokens) => {
    const names = shortNames();
    return () => {
      for (;;) {
        const candidate = names.next().value;
        if (RESERVED.has(candidate) || old.has(candidate)) continue;
        if (avoidJsTokens && token(candidate).test(allJs)) continue;
        return candidate;
      }
    };
  };

  const freshImport = generator(target === 'bundler');
  const importNames = new Map();
  for (const entry of imports) {
    expect(entry.module === IMPORT_MODULE, `import from module ${JSON.stringify(entry.module)}`);
    if (!importNames.has(entry.field)) importNames.set(entry.field, freshImport());
  }
  const freshExport = generator(false);
  const exportNames = new Map(exports.map((e) => [e.field, freshExport()]));
  const newModule = target === 'web' ? 'a' : IMPORT_MODULE;

  // JS: each import name once, in its one expected place.
  for (const [old, short] of importNames) {
    const file = target === 'web' ? 'gotrue_wasm.js' : 'gotrue_wasm_bg.js';
    const place = target === 'web' ? new RegExp(`(\\n\\s*)${escape(old)}(: function\\()`) : new RegExp(`(\\nexport function )${escape(old)}(\\()`);
    expect((allJs.match(token(old)) || []).length === 1 && place.test(js[file]), `import ${old} is not where expected`);
    js[file] = js[file].replace(place, (_, before, after) => `${before}${short}${after}`);
  }
  // Exports: every `wasm.NAME`, and then no `wasm.` reference to an old name may remain.
  for (const [file, text] of Object.entries(js)) {
    js[file] = text.replace(/(?<![\w$.])wasm\.([\w$]+)(?![\w$])/g, (whole, field) =>
      exportNames.has(field) ? `wasm.${exportNames.get(field)}` : whole,
    );
  }
  for (const [old] of exportNames) {
    const left = Object.values(js).some((text) => new RegExp(`\\.${escape(old)}(?![\\w$])`).test(text));
    expect(!left, `the JS reaches export ${old} other than as wasm.${old}`);
  }
  if (target === 'web') {
    const key = `${JSON.stringify(IMPORT_MODULE)}: import0`;
    expect(js['gotrue_wasm.js'].split(key).length === 2, 'the web glue does not pass `import0` as expected');
    js['gotrue_wasm.js'] = js['gotrue_wasm.js'].replace(key, () => `${JSON.stringify(newModule)}: import0`);
  }

  // wasm: new import and export sections, every other byte as it was.
  const importPayload = Buffer.concat([
    uleb(imports.length),
    ...imports.map((i) => Buffer.concat([name(newModule), name(importNames.get(i.field)), i.desc])),
  ]);
  const exportPayload = Buffer.concat([
    uleb(exports.length),
    ...exports.map((e) => Buffer.concat([name(exportNames.get(e.field)), Buffer.from([e.kind]), uleb(e.index)])),
  ]);
  const parts = [bytes.subarray(0, 8)];
  for (const s of list) {
    const payload = s === importSection ? importPayload : s === exportSection ? exportPayload : s.raw;
    parts.push(Buffer.from([s.id]), uleb(payload.length), payload);
  }
  writeFileSync(join(work, WASM), Buffer.concat(parts));
  for (const [file, text] of Object.entries(js)) writeFileSync(join(work, file), text);
  if (existsSync(join(work, WASM_TYPES))) {
    let types = readFileSync(join(work, WASM_TYPES), 'utf8');
    for (const [old, short] of exportNames) types = types.replace(`export const ${old}:`, () => `export const ${short}:`);
    writeFileSync(join(work, WASM_TYPES), types);
  }
  return { imports: importNames.size, exports: exportNames.size, exportNames: new Set(exportNames.values()) };
}

/** Links the renamed module against the renamed JS in Node. */
async function check(work, exportNames) {
  const bytes = readFileSync(join(work, WASM));
  const module = new WebAssembly.Module(bytes);
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  for (const file of GLUE) {
    for (const [, field] of readFileSync(join(work, file), 'utf8').matchAll(/(?<![\w$.])wasm\.([\w$]+)(?![\w$])/g)) {
      expect(exported.has(field), `${file} reads wasm.${field}, which the module does not export`);
    }
  }
  expect([...exportNames].every((n) => exported.has(n)), 'export names lost');
  if (target === 'web') {
    const glue = await import(pathToFileURL(join(work, 'gotrue_wasm.js')).href);
    // Instantiation fails with a LinkError if the import object lacks anything; the start
    // function may still fail in Node for want of a browser, which is no naming matter.
    try {
      glue.initSync({ module });
    } catch (error) {
      if (error instanceof WebAssembly.LinkError) throw error;
    }
  } else {
    const bg = await import(pathToFileURL(join(work, 'gotrue_wasm_bg.js')).href);
    for (const i of WebAssembly.Module.imports(module)) {
      expect(i.module === IMPORT_MODULE && typeof bg[i.name] === 'function', `gotrue_wasm_bg.js does not export ${i.name}`);
    }
  }
}

const work = mkdtempSync(join(tmpdir(), 'shorten-wasm-names-'));
try {
  cpSync(dir, work, { recursive: true });
  // The glue is ES modules: say so, for the Node versions that do not detect it.
  writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
  const result = rewrite(work);
  await check(work, result.exportNames);
  for (const file of [WASM, WASM_TYPES, ...GLUE]) {
    if (existsSync(join(work, file))) writeFileSync(join(dir, file), readFileSync(join(work, file)));
  }
  console.error(`[shorten-wasm-names] ${target}: ${result.imports} imports and ${result.exports} exports renamed`);
} catch (error) {
  // Any failure (an unexpected shape, a link error, a glue that will not load in this Node)
  // leaves the long names in place. The package would still work, but 2-3 KB gzip larger,
  // and nothing else would notice: so the build fails, unless GOTRUE_WASM_SHORTEN=optional.
  const optional = process.env.GOTRUE_WASM_SHORTEN === 'optional';
  console.error(`[shorten-wasm-names] ${optional ? 'warning' : 'error'}: names left as they were (${error?.message ?? error})`);
  if (!optional) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
