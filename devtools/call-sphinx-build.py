#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
"""Build the HTML guides for meson.

Usage: call-sphinx-build.py SPHINX_BUILD SRCDIR OUTDIR [SPHINX_ARGS ...]

Runs sphinx-build with warnings as errors, then writes OUTDIR.d, a depfile
naming every source under SRCDIR (so that ninja rebuilds when any guide,
feature table or conf.py changes, including files meson does not list), and
touches OUTDIR so that ninja sees it as newer than those sources.
"""

import os
import subprocess
import sys

SOURCE_EXTS = ('.rst', '.ini', '.py', '.txt')


def sources(srcdir):
    for root, dirs, files in os.walk(srcdir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(('.', '_')))
        for name in sorted(files):
            if name.endswith(SOURCE_EXTS):
                yield os.path.join(root, name)


def depfile_escape(path):
    return path.replace('\\', '\\\\').replace(' ', '\\ ').replace('$', '$$')


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__.strip())
    sphinx, srcdir, outdir = argv[1:4]
    cmd = [sphinx, '-W', '--keep-going', '-q', '-b', 'html',
           '-d', outdir + '.doctrees'] + argv[4:] + [srcdir, outdir]
    ret = subprocess.run(cmd, check=False).returncode
    if ret != 0:
        return ret
    with open(outdir + '.d', 'w') as dep:
        dep.write(depfile_escape(outdir) + ':')
        for path in sources(srcdir):
            dep.write(' \\\n ' + depfile_escape(path))
        dep.write('\n')
    os.utime(outdir)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
