"""The production install: what the code imports is declared, and the wheel
installed as docker/Dockerfile installs it loads every plugin of the image.

The second test builds the wheel, creates a clean virtualenv (no system site
packages), installs there what the ckan/ckan-base image already has (CKAN with
its [requirements] extra) and then the wheel exactly as the Dockerfile does
(``pip install -c constraints.txt ckanext_mogi-*.whl``), through pip's
configured index and wheel cache. It takes one to two minutes.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from ckan.plugins import toolkit

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ckanext" / "mogi"
DOCKERFILE = ROOT / "docker" / "Dockerfile"
#: The Dockerfile's own install line: this test does the same.
DOCKER_INSTALL = ("pip install --no-cache-dir -c /tmp/mogi-dist/constraints.txt "
                  "/tmp/mogi-dist/ckanext_mogi-*.whl")
#: Plugins the base image brings (ckanext-envvars), not this project's stack.
BASE_IMAGE_PLUGINS = {"envvars"}


def _name(requirement: str) -> str:
    """Normalised distribution name of a requirement string (PEP 503)."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group(0)).lower()


def _imported_modules() -> set[str]:
    """Absolute imports of ckanext/mogi: top-level names, ``ckanext.<name>``
    for the ckanext namespace."""
    modules = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                parts = name.split(".")
                modules.add(".".join(parts[:2]) if parts[0] == "ckanext" else parts[0])
    return modules


def _distribution_of(module: str) -> str:
    """The installed distribution that provides ``module``."""
    top, _, sub = module.partition(".")
    candidates = metadata.packages_distributions().get(top, [])
    if sub:  # the ckanext namespace is shared: find who ships ckanext/<sub>/
        candidates = [dist for dist in candidates
                      if any(str(f).startswith(f"{top}/{sub}/")
                             for f in metadata.distribution(dist).files or ())]
    assert len(set(candidates)) == 1, f"{module}: provided by {candidates or 'nothing'}"
    return _name(candidates[0])


def test_install_requires_declares_every_imported_distribution():
    required = {_name(r) for r in metadata.requires("ckanext-mogi") or ()
                if "extra ==" not in r}
    pinned = {_name(line) for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    missing, unpinned = {}, set()
    for module in sorted(_imported_modules()):
        if module.split(".")[0] in sys.stdlib_module_names:
            continue
        dist = _distribution_of(module)
        if dist == "ckanext-mogi":
            continue
        if dist not in required:
            missing[module] = dist
        if dist not in pinned:
            unpinned.add(dist)
    assert not missing, f"imported but not in setup.py install_requires: {missing}"
    assert not unpinned, f"imported but not pinned in requirements.txt: {unpinned}"


def _docker_plugins() -> list[str]:
    text = DOCKERFILE.read_text(encoding="utf-8")
    (plugins,) = re.findall(r'CKAN__PLUGINS="([^"]+)"', text)
    return plugins.split()


def _process(args: list[str], cwd: Path, status: int,
             timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """``args`` run outside this venv; it must end with exit ``status``."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == status, (
        f"{args}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def _run(args: list[str], cwd: Path, timeout: int = 900) -> str:
    return _process(args, cwd, 0, timeout).stdout


def test_wheel_installed_as_in_the_docker_image_loads_every_plugin(tmp_path: Path):
    assert DOCKER_INSTALL in DOCKERFILE.read_text(encoding="utf-8"), \
        "docker/Dockerfile installs the wheel differently: update this test with it"
    # The wheel, from a clean copy of what would be committed.
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--cached", "--others", "--exclude-standard"],
        check=True, capture_output=True, text=True).stdout.splitlines()
    src = tmp_path / "src"
    for name in files:
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(src)],
         tmp_path)
    (wheel,) = dist.glob("ckanext_mogi-*.whl")
    # requirements.txt as constraints, extras stripped (the Dockerfile's sed).
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(re.sub(r"(?m)^([A-Za-z0-9_.-]+)\[[^]]*\]", r"\1", requirements),
                           encoding="utf-8")
    (ckan_pin,) = re.findall(r"(?m)^ckan(?:\[[^]]*\])?==(\S+)", requirements)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True, system_site_packages=False)
    python, ckan_cli = env_dir / "bin" / "python", env_dir / "bin" / "ckan"
    pip = [str(python), "-m", "pip", "install", "-q", "-c", str(constraints)]
    # What ckan/ckan-base:2.12 already has: CKAN and its pinned requirements.
    _run([*pip, f"ckan[requirements]=={ckan_pin}"], tmp_path)
    # The Dockerfile's step.
    _run([*pip, str(wheel)], tmp_path)

    # The image's plugins (and mogi_search, the wheel's other plugin) on the
    # suite's database, from a directory outside the repository.
    plugins = [p for p in _docker_plugins() if p not in BASE_IMAGE_PLUGINS] + ["mogi_search"]
    ini = tmp_path / "image.ini"
    lines = (ROOT / "test.ini").read_text(encoding="utf-8").splitlines()
    ini.write_text("\n".join(
        f"ckan.plugins = {' '.join(plugins)}" if line.startswith("ckan.plugins") else
        f"sqlalchemy.url = {toolkit.config['sqlalchemy.url']}"
        if line.startswith("sqlalchemy.url") else line
        for line in lines) + "\n", encoding="utf-8")
    loaded = _run([str(python), "-P", "-c", (
        "import sys, ckan.plugins as p, ckanext.mogi\n"
        "from ckan.cli import load_config\n"
        "from ckan.config.middleware import make_app\n"
        "make_app(load_config(sys.argv[1]))\n"
        "print(ckanext.mogi.__file__)\n"
        "print(' '.join(n for n in sys.argv[2:] if p.plugin_loaded(n)))\n"),
        str(ini), *plugins], tmp_path).splitlines()
    assert loaded[-2].startswith(str(env_dir / "lib")), loaded[-2]
    assert loaded[-1].split() == plugins
    help_text = _run([str(ckan_cli), "-c", str(ini), "mogi", "--help"], tmp_path)
    assert "demo" in help_text and "validation" in help_text and "datastore" in help_text
    # The wheel alone holds no demo catalogue: loading it says so, cleanly.
    no_demo = _process([str(ckan_cli), "-c", str(ini), "mogi", "demo", "load"], tmp_path, 1)
    assert "arquivo do catálogo de demonstração não encontrado" in no_demo.stderr
    assert "Traceback" not in no_demo.stderr
