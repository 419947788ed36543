# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
"""Sphinx configuration of the cvqsim guides.

Besides the usual settings it defines the 'features-table' directive, which
renders the vDPA feature matrix from vdpadevs/features/*.ini in the same
format as DPDK's: default.ini names every valid feature and their order,
each other file (one per driver) marks what that driver supports.
"""

import configparser
import glob
import os

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.errors import ExtensionError

project = 'cvqsim'
copyright = '2026, The cvqsim authors'
author = 'The cvqsim authors'
# meson passes the project version with -D version=... -D release=...
version = 'unknown'
release = 'unknown'

extensions = []
source_suffix = '.rst'
master_doc = 'index'
exclude_patterns = ['_build']
highlight_language = 'none'
html_show_sourcelink = False

GUIDES_DIR = os.path.dirname(os.path.abspath(__file__))
FEATURES_DIR = os.path.join(GUIDES_DIR, 'vdpadevs', 'features')
# Values a driver may give a feature: supported, partially supported.
FEATURE_VALUES = {'Y': 'Y', 'P': 'P', '': ''}


def read_features(path):
    """The [Features] section of an ini file as an ordered list of pairs."""
    parser = configparser.ConfigParser(delimiters=('=',),
                                       comment_prefixes=(';',),
                                       interpolation=None)
    parser.optionxform = str  # feature names are case sensitive
    try:
        with open(path, encoding='utf-8') as f:
            parser.read_file(f)
    except (OSError, configparser.Error) as e:
        raise ExtensionError('%s: %s' % (path, e)) from e
    if parser.sections() != ['Features']:
        raise ExtensionError('%s: expected a single [Features] section' % path)
    return list(parser['Features'].items())


class FeaturesTable(Directive):
    """Render the feature matrix of every driver in vdpadevs/features."""

    has_content = False

    def run(self):
        env = self.state.document.settings.env
        default = os.path.join(FEATURES_DIR, 'default.ini')
        env.note_dependency(default)
        names = [name for name, _ in read_features(default)]
        known = set(names)
        drivers = []
        for path in sorted(glob.glob(os.path.join(FEATURES_DIR, '*.ini'))):
            if os.path.basename(path) == 'default.ini':
                continue
            env.note_dependency(path)
            values = {}
            for name, value in read_features(path):
                if name not in known:
                    raise self.error('%s: unknown feature "%s" (not in default.ini)'
                                     % (path, name))
                if value not in FEATURE_VALUES:
                    raise self.error('%s: feature "%s" has value "%s", expected Y, P '
                                     'or nothing' % (path, name, value))
                values[name] = FEATURE_VALUES[value]
            drivers.append((os.path.splitext(os.path.basename(path))[0], values))
        if not drivers:
            raise self.error('no driver feature file in %s' % FEATURES_DIR)

        header = ['Feature'] + [drv for drv, _ in drivers]
        rows = [[name] + [values.get(name, '') for _, values in drivers]
                for name in names]
        return [self.build_table(header, rows)]

    @staticmethod
    def build_table(header, rows):
        table = nodes.table(classes=['features-table'])
        tgroup = nodes.tgroup(cols=len(header))
        table += tgroup
        for idx in range(len(header)):
            tgroup += nodes.colspec(colwidth=4 if idx == 0 else 1)

        def make_row(cells):
            row = nodes.row()
            for cell in cells:
                entry = nodes.entry()
                entry += nodes.paragraph(text=cell)
                row += entry
            return row

        thead = nodes.thead()
        thead += make_row(header)
        tgroup += thead
        tbody = nodes.tbody()
        for cells in rows:
            tbody += make_row(cells)
        tgroup += tbody
        return table


def setup(app):
    app.add_directive('features-table', FeaturesTable)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
