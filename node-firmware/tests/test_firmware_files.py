"""Every file that goes onto the board compiles here; under MicroPython this proves the syntax is MicroPython's."""

import os
import unittest

import support

BOARD_FILES = ("main.py", "nowmesh_bridge.py", "nowmesh_codec.py", "nowmesh_commands.py",
               "nowmesh_config.py", "nowmesh_espnow.py", "nowmesh_frame.py", "nowmesh_serial.py")


class FirmwareFilesTest(unittest.TestCase):
    def test_every_board_file_exists_and_compiles(self):
        present = sorted(n for n in os.listdir(support.FIRMWARE_DIR) if n.endswith(".py"))
        self.assertEqual(present, sorted(BOARD_FILES), "README's mpremote list must match the files")
        for name in BOARD_FILES:
            with open(support.FIRMWARE_DIR + "/" + name) as f:
                source = f.read()
            compile(source, name, "exec")

    def test_serial_module_imports_without_touching_the_port(self):
        import nowmesh_serial
        self.assertTrue(hasattr(nowmesh_serial, "open_port"))


if __name__ == "__main__":
    unittest.main()
