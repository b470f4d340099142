"""The oscrypto 1.3.0 workaround: without it flask-ask-sdk cannot be imported on a current OpenSSL.

flask-ask-sdk 1.0.0 imports ``ask_sdk_webservice_support.verifier``, whose
``RequestVerifier`` validates chains with ``certvalidator``, which imports
``oscrypto``.  oscrypto 1.3.0 (the latest release, 2022) finds the OpenSSL
version with the regex ``\\b(\\d\\.\\d\\.\\d[a-z]*)\\b``: it allows one digit
for the patch number, so ``"OpenSSL 3.0.19 27 Jan 2026"`` (any 3.x.10 and later)
does not match and ``oscrypto/_openssl/_libcrypto_cffi.py`` (or
``_libcrypto_ctypes.py``) raises ``LibraryNotFoundError: Error detecting the
version of libcrypto`` at import time.  So on a current system plain
``import flask_ask_sdk.skill_adapter`` fails, whatever the app configures.
Upstream fixed the regex (``\\d+`` for the last component; wbond/oscrypto
issue #75, PR #76) but never released it (issues #78 and #81 ask for a
release).  PyPI has no fixed ``oscrypto``: only forks under other names
(``oscrypto-snowflake-patch``, ``elements-oscrypto``) that install the same
top-level package over the real one while certvalidator still requires the
``oscrypto`` distribution, and a git pin cannot be expressed in a PyPI-only
install.  Pinning an older oscrypto does not help (same regex).

:func:`ensure_flask_ask_sdk_importable` applies exactly the upstream fix
before oscrypto loads its libcrypto bindings: it compiles the installed
``_libcrypto_cffi``/``_libcrypto_ctypes`` module (whichever oscrypto itself
would use) with the one-character regex change and registers it in
``sys.modules``.  Nothing on disk changes and no oscrypto code is copied into
this project.  If the installed oscrypto no longer contains the buggy regex (a
fixed release), or the module was already imported, or the backend is not
OpenSSL (macOS, Windows), it does nothing.  The new regex matches every
version string the old one matched, with the same result.

Importing this module changes nothing: the modules that import those libraries
(:mod:`skill_tools.web.app`, :mod:`skill_tools.web.cert_chain`,
:mod:`skill_tools.web.signature`, :mod:`skill_tools.web.verification`) call
:func:`ensure_flask_ask_sdk_importable` just before they do.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import logging
import sys
import threading

log = logging.getLogger(__name__)

# The regex literal exactly as it appears in oscrypto 1.3.0's source, and the
# upstream fix (wbond/oscrypto #75 / PR #76): one "+" on the patch number.
BUGGY_VERSION_RE = r"'\\b(\\d\\.\\d\\.\\d[a-z]*)\\b'"
FIXED_VERSION_RE = r"'\\b(\\d\\.\\d\\.\\d+[a-z]*)\\b'"

_shim_lock = threading.Lock()


def ensure_flask_ask_sdk_importable() -> bool:
    """Make ``import flask_ask_sdk.skill_adapter`` work with oscrypto 1.3.0.

    Loads oscrypto's libcrypto binding module with the upstream-fixed version
    regex (see the module docstring; wbond/oscrypto issues #75 and #78).
    Idempotent and cheap.  Returns True if it loaded the patched module,
    False if nothing needed doing.  Call it before anything imports
    ``flask_ask_sdk``, ``ask_sdk_webservice_support.verifier``,
    ``certvalidator`` or ``oscrypto.asymmetric``.
    """
    with _shim_lock:
        try:
            import oscrypto
        except ImportError:  # not installed: nothing to fix
            return False
        # Both calls only read/initialise oscrypto's own settings, exactly as
        # its first real import would (after them, oscrypto.use_openssl() and
        # use_ctypes() can no longer be called).
        if oscrypto.backend() != "openssl":
            return False
        which = "cffi" if oscrypto.ffi() == "cffi" else "ctypes"
        name = f"oscrypto._openssl._libcrypto_{which}"
        if name in sys.modules:
            return False
        spec = importlib.util.find_spec(name)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return False
        source = spec.loader.get_source(name)
        if source is None or BUGGY_VERSION_RE not in source:
            return False  # a fixed oscrypto
        code = compile(
            source.replace(BUGGY_VERSION_RE, FIXED_VERSION_RE),
            spec.origin,
            "exec",
            dont_inherit=True,
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            exec(code, module.__dict__)  # noqa: S102 - oscrypto's own code, one regex changed
        except BaseException:
            sys.modules.pop(name, None)
            raise
        setattr(sys.modules["oscrypto._openssl"], name.rsplit(".", 1)[1], module)
        log.debug("loaded %s with the oscrypto #75 version-regex fix", name)
        return True
