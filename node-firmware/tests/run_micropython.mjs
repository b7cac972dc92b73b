// Runs the firmware tests under real MicroPython 1.27 (the WebAssembly port from npm) in node.
// Copies the firmware, the espnow model, the tests and the golden vectors into the port's
// in-memory filesystem at the same relative layout, runs tests/mp_runner.py, and exits non-zero
// unless every test passed.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const firmware = dirname(here);
const repo = dirname(firmware);
const entry = join(firmware, "node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs");
if (!existsSync(entry)) {
  // A fresh checkout: install the pinned package from package-lock.json.
  const npm = spawnSync("npm", ["ci", "--prefix", firmware, "--no-audit", "--no-fund"], { stdio: "inherit" });
  if (npm.status !== 0) {
    console.error("npm ci failed; cannot run the MicroPython tests");
    process.exit(3);
  }
}
const { loadMicroPython } = await import(entry);

let summary = null;
const mp = await loadMicroPython({
  heapsize: 8 * 1024 * 1024,
  stdout: (line) => {
    if (line.startsWith("NOWMESH-MP-SUMMARY")) summary = line;
    process.stdout.write(line + "\n");
  },
  stderr: (line) => process.stderr.write(line + "\n"),
});

function mkdirs(path) {
  let cur = "";
  for (const part of path.split("/").filter(Boolean)) {
    cur += "/" + part;
    try { mp.FS.mkdir(cur); } catch (e) { /* exists */ }
  }
}

function copyPy(fromDir, toDir) {
  mkdirs(toDir);
  for (const name of readdirSync(fromDir)) {
    if (name.endsWith(".py")) mp.FS.writeFile(toDir + "/" + name, readFileSync(join(fromDir, name)));
  }
}

const root = "/repo";
copyPy(firmware, root + "/node-firmware");
copyPy(join(firmware, "virtual_board"), root + "/node-firmware/virtual_board");
copyPy(here, root + "/node-firmware/tests");
mkdirs(root + "/docs");
mp.FS.writeFile(root + "/docs/protocol-vectors.json", readFileSync(join(repo, "docs/protocol-vectors.json")));

try {
  mp.runPython(`
import sys
print("MicroPython", sys.implementation.version, sys.implementation._machine)
sys.path.insert(0, "${root}/node-firmware/tests")
import mp_runner
mp_runner.run("${root}/node-firmware/tests")
`);
} catch (e) {
  console.error("MicroPython raised:", String(e));
  process.exit(2);
}
if (!summary || !summary.endsWith(" OK")) {
  console.error("MicroPython test run failed: " + (summary || "no summary line"));
  process.exit(1);
}
