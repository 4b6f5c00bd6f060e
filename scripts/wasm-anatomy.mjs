// Lists the largest functions of a .wasm that still has its name section (what twiggy's
// `top` does, for the code section only): raw body bytes per function, demangled enough to
// read, and optionally the total of the functions whose name matches each given pattern.
//
//   node scripts/wasm-anatomy.mjs FILE.wasm [--top N] [--match REGEX ...]
//
//   node scripts/wasm-anatomy.mjs A.wasm --diff B.wasm   # what A has more of than B, by name
//
// The names-kept build comes from `bash scripts/wasm-anatomy.sh NAME [FEATURES]`
// (target/anatomy/NAME.wasm); the shipped one has no names.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.shift();
if (!file) {
  console.error('usage: node scripts/wasm-anatomy.mjs FILE.wasm [--top N] [--match REGEX ...]');
  process.exit(2);
}
let top = 40;
const patterns = [];
let against = null;
while (args.length) {
  const flag = args.shift();
  if (flag === '--top') top = Number(args.shift());
  else if (flag === '--match') patterns.push(args.shift());
  else if (flag === '--diff') against = args.shift();
}

function parse(file) {
const bytes = readFileSync(file);
let at = 8;
const leb = () => {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return result;
  }
};
const name = () => {
  const length = leb();
  const text = bytes.toString('utf8', at, at + length);
  at += length;
  return text;
};

let importedFunctions = 0;
const bodies = []; // [size] per defined function
const names = new Map();
let codeBytes = 0;
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const end = at + size;
  if (id === 2) {
    for (let n = leb(); n > 0; n--) {
      name();
      name();
      const kind = bytes[at++];
      if (kind === 0) {
        leb();
        importedFunctions++;
      } else if (kind === 1) {
        at++;
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 2) {
        const flags = leb();
        leb();
        if (flags & 1) leb();
      } else if (kind === 3) {
        at += 2;
      } else {
        leb();
        leb();
      }
    }
  } else if (id === 10) {
    codeBytes = size;
    for (let n = leb(); n > 0; n--) {
      const length = leb();
      bodies.push(length);
      at += length;
    }
  } else if (id === 0) {
    if (name() === 'name') {
      while (at < end) {
        const sub = bytes[at++];
        const length = leb();
        const subEnd = at + length;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const index = leb();
            names.set(index, name());
          }
        }
        at = subEnd;
      }
    }
  }
  at = end;
}
  return { bytes, importedFunctions, bodies, names, codeBytes };
}
const { bytes, importedFunctions, bodies, names, codeBytes } = parse(file);
if (names.size === 0) console.error('note: no name section (a names-kept build is needed for names)');

// Rust's v0 / legacy mangling, shortened to the path's last segments: enough to tell
// functions apart without a demangler.
const readable = (raw) => {
  if (!raw) return '?';
  let text = raw;
  if (text.startsWith('_ZN')) {
    const parts = [];
    let i = 3;
    while (i < text.length && /\d/.test(text[i])) {
      let digits = '';
      while (/\d/.test(text[i])) digits += text[i++];
      parts.push(text.slice(i, i + Number(digits)));
      i += Number(digits);
    }
    if (parts.length && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
    text = parts.join('::').replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}')
      .replace(/\$C\$/g, ',').replace(/\$u20\$/g, ' ').replace(/\$RF\$/g, '&').replace(/\.\./g, '::');
  } else if (text.startsWith('_R')) {
    // v0: keep the identifiers (length-prefixed runs) in order.
    const words = [];
    for (const match of text.matchAll(/(\d+)_?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const n = Number(match[1]);
      words.push(match[2].slice(0, n));
    }
    text = words.filter((word) => !/^[a-z]*[0-9a-f]{6,}$/.test(word)).join('::');
  }
  // Already demangled (wasm-bindgen demangles the name section): drop crate hashes and the
  // long paths of the usual type parameters.
  text = text.replace(/\[[0-9a-f]{16}\]/g, '').replace(/gotrue_wasm::/g, '').replace(/browser::fetch::FetchTransport/g, 'Fetch')
    .replace(/browser::local_storage::BrowserStorage/g, 'BStorage').replace(/types::user_json::UserJson/g, 'UJ');
  return text.length > 170 ? text.slice(0, 167) + '...' : text;
};

const functions = bodies.map((size, i) => {
  const raw = names.get(importedFunctions + i);
  return { size, raw: raw ?? '', name: readable(raw) };
});
functions.sort((a, b) => b.size - a.size);
console.log(`${file}: ${bytes.length} bytes, code section ${codeBytes}, ${bodies.length} functions`);
for (const f of functions.slice(0, top)) {
  console.log(`${String(f.size).padStart(7)} ${(100 * f.size / codeBytes).toFixed(1).padStart(5)}%  ${f.name}`);
}
for (const pattern of patterns) {
  const re = new RegExp(pattern);
  const hits = functions.filter((f) => re.test(f.name) || re.test(f.raw));
  const total = hits.reduce((sum, f) => sum + f.size, 0);
  console.log(`\n/${pattern}/: ${hits.length} functions, ${total} bytes (${(100 * total / codeBytes).toFixed(1)}%)`);
  for (const f of hits.slice(0, 10)) console.log(`${String(f.size).padStart(7)}  ${f.name}`);
}

// --diff OTHER.wasm: the functions by name that this file has and OTHER lacks or has smaller
// (e.g. the full build against a #[cfg] variant without some operations).
if (against) {
  const other = parse(against);
  const sizes = new Map();
  other.bodies.forEach((size, i) => {
    const key = readable(other.names.get(other.importedFunctions + i));
    sizes.set(key, (sizes.get(key) ?? 0) + size);
  });
  const mine = new Map();
  for (const f of functions) mine.set(f.name, (mine.get(f.name) ?? 0) + f.size);
  const rows = [...mine].map(([key, size]) => [key, size - (sizes.get(key) ?? 0)]).filter(([, d]) => d !== 0);
  rows.sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, d]) => sum + d, 0);
  const gone = [...sizes].filter(([key]) => !mine.has(key)).reduce((sum, [, size]) => sum + size, 0);
  console.log(`\nagainst ${against}: +${total} bytes in functions by name (${gone} only there)`);
  for (const [key, d] of rows.slice(0, top)) console.log(`${String(d).padStart(7)}  ${key}`);
}
