import json
import os
import platform
import subprocess
import sys

from broadsheet.memory import PROMPT_RETURN, release_freed_memory


def test_freed_memory_goes_back_to_the_system_where_the_c_library_can():
    # glibc has malloc_trim; elsewhere the call is a no-op that says so.
    returned = release_freed_memory()
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert returned is True
    else:
        assert returned is False


def _settings_in_a_new_process(env: dict[str, str]) -> dict[str, str | None]:
    code = f"import os, json, broadsheet.cli; print(json.dumps({{k: os.environ.get(k) for k in {list(PROMPT_RETURN)!r}}}))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_the_command_asks_the_table_libraries_to_return_freed_pages_unless_the_user_said_otherwise():
    env = {k: v for k, v in os.environ.items() if k not in PROMPT_RETURN}
    assert _settings_in_a_new_process(env) == PROMPT_RETURN
    mine = {**env, "_RJEM_MALLOC_CONF": "background_thread:true"}
    assert _settings_in_a_new_process(mine)["_RJEM_MALLOC_CONF"] == "background_thread:true"
