# SPDX-License-Identifier: GPL-2.0-or-later
"""Reading a QAPI schema (QEMU's schema language) into a type model.

The schema is a series of Python-style dicts with single-quoted strings,
'#' comments and true/false; 'include' pulls in other files.  The model
has builtins, enums, structs (with base), flat unions, lists, commands
and events, with the C naming rules of docs/devel/qapi-code-gen.rst.
'features' lists are kept for introspection only.
"""

import os


class SchemaError(Exception):
    pass


# ---------------------------------------------------------------------------
# Reading the schema

def tokenize(text, fname):
    """Yield (kind, value, line) for the schema's tiny JSON dialect."""
    i, line, n = 0, 1, len(text)
    while i < n:
        ch = text[i]
        if ch == '\n':
            line += 1
            i += 1
        elif ch in ' \t\r':
            i += 1
        elif ch == '#':
            while i < n and text[i] != '\n':
                i += 1
        elif ch in '{}[]:,':
            yield ch, ch, line
            i += 1
        elif ch in '\'"':
            j = i + 1
            buf = []
            while j < n and text[j] != ch:
                if text[j] == '\\' and j + 1 < n:
                    j += 1
                if text[j] == '\n':
                    raise SchemaError('%s:%d: newline in string'
                                      % (fname, line))
                buf.append(text[j])
                j += 1
            if j >= n:
                raise SchemaError('%s:%d: unterminated string' % (fname, line))
            yield 'str', ''.join(buf), line
            i = j + 1
        elif text.startswith('true', i):
            yield 'val', True, line
            i += 4
        elif text.startswith('false', i):
            yield 'val', False, line
            i += 5
        else:
            raise SchemaError('%s:%d: stray %r' % (fname, line, ch))


class Parser:
    def __init__(self, text, fname):
        self.toks = list(tokenize(text, fname))
        self.pos = 0
        self.fname = fname

    def error(self, msg):
        line = self.toks[min(self.pos, len(self.toks) - 1)][2] \
            if self.toks else 0
        raise SchemaError('%s:%d: %s' % (self.fname, line, msg))

    def next(self):
        if self.pos >= len(self.toks):
            self.error('unexpected end of file')
        tok = self.toks[self.pos]
        self.pos += 1
        return tok

    def expect(self, kind):
        tok = self.next()
        if tok[0] != kind:
            self.error('expected %r' % kind)
        return tok

    def value(self):
        kind, val, _ = self.next()
        if kind in ('str', 'val'):
            return val
        if kind == '{':
            obj = {}
            if self.toks[self.pos][0] == '}':
                self.pos += 1
                return obj
            while True:
                key = self.expect('str')[1]
                if key in obj:
                    self.error('duplicate key %r' % key)
                self.expect(':')
                obj[key] = self.value()
                kind = self.next()[0]
                if kind == '}':
                    return obj
                if kind != ',':
                    self.error("expected ',' or '}'")
        if kind == '[':
            arr = []
            if self.toks[self.pos][0] == ']':
                self.pos += 1
                return arr
            while True:
                arr.append(self.value())
                kind = self.next()[0]
                if kind == ']':
                    return arr
                if kind != ',':
                    self.error("expected ',' or ']'")
        self.error('unexpected %r' % kind)

    def exprs(self):
        while self.pos < len(self.toks):
            if self.toks[self.pos][0] != '{':
                self.error('expected a top-level object')
            yield self.value()


def read_schema(path, seen, out):
    path = os.path.normpath(path)
    if path in seen:
        return
    seen.add(path)
    with open(path, encoding='utf-8') as f:
        text = f.read()
    for expr in Parser(text, path).exprs():
        if 'include' in expr:
            read_schema(os.path.join(os.path.dirname(path), expr['include']),
                        seen, out)
        elif 'pragma' in expr:
            pass
        else:
            expr['_file'] = path
            out.append(expr)


# ---------------------------------------------------------------------------
# Names

C_KEYWORDS = set('''auto break case char const continue default do double
else enum extern float for goto if inline int long register restrict return
short signed sizeof static struct switch typedef union unsigned void volatile
while _Bool bool true false asm typeof'''.split())
# Names the compiler predefines as macros (gcc's -std=gnu11 has 'unix').
C_KEYWORDS |= {'unix', 'linux', 'errno'}


def c_name(name, protect=True):
    out = name.replace('-', '_').replace('.', '_')
    if protect and out in C_KEYWORDS:
        out = 'q_' + out
    return out


def camel_to_upper(name):
    """RunState -> RUN_STATE, QMPCapability -> QMP_CAPABILITY."""
    s = c_name(name, False)
    if s.isupper():
        return s
    out = []
    for i, ch in enumerate(s):
        # A capital starts a new word when a lower-case letter follows it
        # (the "C" of "QMPCapability") or when it follows a digit.
        if ch.isupper() and i > 0 and s[i - 1] != '_':
            if (i + 1 < len(s) and s[i + 1].islower()) or s[i - 1].isdigit():
                out.append('_')
        out.append(ch)
    return ''.join(out).lstrip('_').upper()


# ---------------------------------------------------------------------------
# Types

class Type:
    is_ptr = False
    kind = None

    def c_type(self):
        raise NotImplementedError

    def c_param(self):
        return self.c_type()


class Builtin(Type):
    kind = 'builtin'

    def __init__(self, name, ctype, json_type, in_fn):
        self.name = name
        self.ctype = ctype
        self.json_type = json_type      # for introspection
        self.in_fn = in_fn              # suffix of qapi_in_* / qapi_out_*
        self.is_ptr = ctype.endswith('*')

    def c_type(self):
        return self.ctype

    def c_param(self):
        return 'const char *' if self.name == 'str' else self.ctype

    def list_name(self):
        return self.name + 'List'


BUILTINS = {}
for _n, _c, _j, _f in [
        ('str', 'char *', 'string', 'str'),
        ('int', 'int64_t', 'int', 'int64'),
        ('int8', 'int8_t', 'int', 'int8'),
        ('int16', 'int16_t', 'int', 'int16'),
        ('int32', 'int32_t', 'int', 'int32'),
        ('int64', 'int64_t', 'int', 'int64'),
        ('uint8', 'uint8_t', 'int', 'uint8'),
        ('uint16', 'uint16_t', 'int', 'uint16'),
        ('uint32', 'uint32_t', 'int', 'uint32'),
        ('uint64', 'uint64_t', 'int', 'uint64'),
        ('size', 'uint64_t', 'int', 'uint64'),
        ('bool', 'bool', 'boolean', 'bool'),
        ('number', 'double', 'number', 'number'),
        ('any', 'JsonNode *', 'value', 'any')]:
    BUILTINS[_n] = Builtin(_n, _c, _j, _f)


def features_of(expr):
    """The names in an expression's 'features' list (strings or dicts)."""
    return [f['name'] if isinstance(f, dict) else f
            for f in expr.get('features', [])]


class Enum(Type):
    kind = 'enum'

    def __init__(self, name, values, prefix, features=(), value_features=None):
        self.name = name
        self.values = values
        self.prefix = prefix or camel_to_upper(name)
        self.features = list(features)
        self.value_features = value_features or {}

    def c_type(self):
        return c_name(self.name)

    def const(self, value):
        return '%s_%s' % (self.prefix, c_name(value, False).upper())

    def list_name(self):
        return c_name(self.name) + 'List'


class Member:
    def __init__(self, name, typ, optional, features=()):
        self.name = name
        self.typ = typ
        self.optional = optional
        self.cname = c_name(name)
        self.features = list(features)

    def has_flag(self):
        """Optional scalars carry a has_ flag; pointers use NULL."""
        return self.optional and not self.typ.is_ptr


class Struct(Type):
    kind = 'struct'
    is_ptr = True

    def __init__(self, name, members, base=None, implicit=False,
                 features=()):
        self.name = name
        self.own_members = members
        self.base = base
        self.implicit = implicit
        self.features = list(features)
        # Flat unions: the tag member's name and [(case, Struct)].  In C
        # each variant's struct is embedded by value in 'u'.
        self.discriminator = None
        self.variants = []

    def members(self):
        return (self.base.members() if self.base else []) + self.own_members

    def tag_member(self):
        for m in self.members():
            if m.name == self.discriminator:
                return m
        raise SchemaError('%s: no discriminator member %s'
                          % (self.name, self.discriminator))

    def c_type(self):
        return c_name(self.name) + ' *'

    def list_name(self):
        return c_name(self.name) + 'List'


class List(Type):
    kind = 'list'
    is_ptr = True

    def __init__(self, elem):
        self.elem = elem
        self.name = '[%s]' % elem.name

    def c_name(self):
        return self.elem.list_name()

    def c_type(self):
        return self.c_name() + ' *'



class Command:
    def __init__(self, name, args, ret, boxed, gen, allow_preconfig,
                 features=()):
        self.name = name
        self.args = args        # Struct or None
        self.ret = ret          # Type or None
        self.boxed = boxed
        self.gen = gen
        self.allow_preconfig = allow_preconfig
        self.cname = c_name(name, False)
        self.features = list(features)


class Event:
    def __init__(self, name, args, boxed, features=()):
        self.name = name
        self.args = args
        self.boxed = boxed
        self.features = list(features)


class Schema:
    def __init__(self, exprs):
        self.types = {}         # name -> Type, user types
        self.order = []         # user enums and structs, schema order
        self.lists = {}         # element name -> List
        self.commands = []
        self.events = []
        pending = []
        for e in exprs:
            if 'enum' in e:
                vals = [v['name'] if isinstance(v, dict) else v
                        for v in e.get('data', [])]
                vfeat = {v['name']: features_of(v)
                         for v in e.get('data', []) if isinstance(v, dict)}
                self.define(Enum(e['enum'], vals, e.get('prefix'),
                                 features_of(e), vfeat))
            elif 'struct' in e or 'union' in e:
                st = Struct(e.get('struct') or e['union'], None,
                            features=features_of(e))
                self.define(st)
                pending.append((st, e))
            elif 'command' in e or 'event' in e:
                pending.append((None, e))
            else:
                raise SchemaError('%s: unsupported expression %r'
                                  % (e['_file'], sorted(e)))
        # Second pass: members may name types defined later.
        for st, e in pending:
            if st is not None and 'union' in e:
                self.union(st, e)
            elif st is not None:
                st.own_members = self.members(e.get('data', {}), st.name)
                if 'base' in e:
                    st.base = self.lookup(e['base'], st.name)
        for st, e in pending:
            if 'command' in e:
                self.commands.append(self.command(e))
            elif 'event' in e:
                self.events.append(self.event(e))

    def union(self, st, e):
        """A flat union: members from 'base', variants by 'discriminator'."""
        base = e.get('base', {})
        if isinstance(base, dict):
            st.own_members = self.members(base, st.name)
        else:
            st.own_members = []
            st.base = self.lookup(base, st.name)
        st.discriminator = e['discriminator']
        tag = st.tag_member().typ
        if tag.kind != 'enum':
            raise SchemaError('%s: discriminator must be an enum' % st.name)
        for case, ref in e['data'].items():
            if isinstance(ref, dict):
                ref = ref['type']
            if case not in tag.values:
                raise SchemaError('%s: %s is not a value of %s'
                                  % (st.name, case, tag.name))
            vt = self.lookup(ref, st.name)
            if vt.kind != 'struct' or vt.variants:
                raise SchemaError('%s: variant %s must be a struct'
                                  % (st.name, case))
            st.variants.append((case, vt))

    def define(self, typ):
        if typ.name in self.types or typ.name in BUILTINS:
            raise SchemaError('type %s defined twice' % typ.name)
        self.types[typ.name] = typ
        self.order.append(typ)

    def lookup(self, ref, where):
        if isinstance(ref, list):
            if len(ref) != 1:
                raise SchemaError('%s: array type needs one element' % where)
            elem = self.lookup(ref[0], where)
            if elem.name not in self.lists:
                self.lists[elem.name] = List(elem)
            return self.lists[elem.name]
        if ref in BUILTINS:
            return BUILTINS[ref]
        if ref not in self.types:
            raise SchemaError('%s: unknown type %s' % (where, ref))
        return self.types[ref]

    def members(self, data, where):
        out = []
        for key, val in data.items():
            feats = []
            if isinstance(val, dict):
                feats = features_of(val)
                val = val['type']
            opt = key.startswith('*')
            name = key[1:] if opt else key
            out.append(Member(name, self.lookup(val, where), opt, feats))
        return out

    def args_struct(self, e, name):
        data = e.get('data')
        if data is None:
            return None
        if isinstance(data, str):
            return self.lookup(data, name)
        st = Struct('q_obj_%s_arg' % c_name(name, False),
                    self.members(data, name), implicit=True)
        self.types[st.name] = st
        self.order.append(st)
        return st

    def command(self, e):
        name = e['command']
        args = self.args_struct(e, name)
        ret = self.lookup(e['returns'], name) if 'returns' in e else None
        return Command(name, args, ret, e.get('boxed', False),
                       e.get('gen', True), e.get('allow-preconfig', False),
                       features_of(e))

    def event(self, e):
        name = e['event']
        return Event(name, self.args_struct(e, name), e.get('boxed', False),
                     features_of(e))

    def user_lists(self):
        return [l for l in self.lists.values() if l.elem.kind != 'builtin']
