// Runs mp_leaf_check.py under real MicroPython (the WebAssembly port installed by node-firmware's
// package.json) and exits non-zero unless it printed LEAF-MP-OK. Usage, from the repo root:
//   node node-firmware/leaf/tests/run_micropython.mjs
// NOWMESH_MICROPYTHON_MJS may point at another micropython.mjs.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const leaf = dirname(here);
const firmware = dirname(leaf);
const repo = dirname(firmware);
const entry = process.env.NOWMESH_MICROPYTHON_MJS
  || join(firmware, "node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs");
if (!existsSync(entry)) {
  console.error(`MicroPython not installed at ${entry}: run 'npm ci --prefix node-firmware' first`);
  process.exit(3);
}
const { loadMicroPython } = await import(entry);
let ok = false;
const mp = await loadMicroPython({
  heapsize: 8 * 1024 * 1024,
  stdout: (line) => {
    if (line.startsWith("LEAF-MP-OK")) ok = true;
    process.stdout.write(line + "\n");
  },
  stderr: (line) => process.stderr.write(line + "\n"),
});
mp.FS.mkdir("/leaf");
mp.FS.writeFile("/leaf/nowmesh_leaf.py", readFileSync(join(leaf, "nowmesh_leaf.py")));
mp.FS.writeFile("/leaf/mesh-vectors.json", readFileSync(join(repo, "docs/mesh-vectors.json")));
try {
  mp.runPython(`LEAF_DIR = "/leaf"\nVECTORS = "/leaf/mesh-vectors.json"\n` + readFileSync(join(here, "mp_leaf_check.py"), "utf8"));
} catch (e) {
  console.error(String(e));
}
process.exit(ok ? 0 : 1);
