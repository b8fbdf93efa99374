"""Fail when an XML file under the given folders is not well-formed."""
import os
import sys
from xml.etree import ElementTree

bad = 0
count = 0
for top in sys.argv[1:]:
    for folder, _dirs, files in os.walk(top):
        for name in files:
            if name.endswith(".xml"):
                path = os.path.join(folder, name)
                count += 1
                try:
                    ElementTree.parse(path)
                except ElementTree.ParseError as exc:
                    bad += 1
                    print("%s: %s" % (path, exc))
print("%d XML files, %d not well-formed" % (count, bad))
sys.exit(1 if bad else 0)
