# SPDX-License-Identifier: GPL-2.0-or-later
"""The domain XML of the libvirt test and benchmarks, made from
tests/libvirt/domain.xml for one build of baton."""
import os
import re
from xml.sax.saxutils import quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
DOMAIN = 'baton-failover'
SANITIZER_ENV = ('ASAN_OPTIONS', 'LSAN_OPTIONS', 'UBSAN_OPTIONS')


def domain_xml(baton, name=DOMAIN, primary=True, memory_mib=None,
               template=None):
    """The XML text.  primary=False drops the <qemu:commandline> primary
    (the standby alone); another name also names the serial log after it;
    memory_mib replaces the RAM size.  BATON_LIBVIRT_DOMAIN_XML names
    another template to try."""
    template = template or os.environ.get('BATON_LIBVIRT_DOMAIN_XML') or \
        os.path.join(HERE, 'domain.xml')
    with open(template) as f:
        xml = f.read().replace('@EMULATOR@', baton)
    body = xml.index('<domain')
    head, xml = xml[:body], xml[body:]
    if name != DOMAIN:
        xml = xml.replace(DOMAIN, name)
        xml = re.sub(r' *<uuid>.*</uuid>\n', '', xml)
    if not primary:
        xml = re.sub(r"\n *<qemu:arg value='-netdev'/>\n.*\n"
                     r" *<qemu:arg value='-device'/>\n.*failover_pair_id"
                     r".*\n", '\n', xml)
        if 'failover_pair_id' in xml:
            raise ValueError('could not drop the primary from domain.xml')
    if memory_mib:
        xml = re.sub(r"<memory unit='MiB'>\d+</memory>",
                     "<memory unit='MiB'>%d</memory>" % memory_mib, xml)
    # libvirt starts the emulator with a clean environment: hand the
    # sanitizer settings of an ASan build on through <qemu:env>.
    env = ''.join('<qemu:env name=%s value=%s/>' % (quoteattr(k),
                                                   quoteattr(os.environ[k]))
                  for k in SANITIZER_ENV if k in os.environ)
    xml = xml.replace('</qemu:commandline>', env + '</qemu:commandline>')
    return head + xml


def write_domain_xml(path, baton, **kw):
    with open(path, 'w') as f:
        f.write(domain_xml(baton, **kw))
    return path
