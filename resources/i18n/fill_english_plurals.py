#!/usr/bin/env python3
"""Fills the English plural forms of Docket's messages that count something ("%n item(s)").

Qt shows a source text with %n as it is ("1 item(s)") unless a translation gives its forms, so
English needs a translation file too. Run after `lupdate -pluralonly` has added new messages:

    /usr/lib/qt6/bin/lupdate -pluralonly -locations none models ui app -ts resources/i18n/docket_en.ts
    python3 resources/i18n/fill_english_plurals.py resources/i18n/docket_en.ts

Every message gets its singular and plural from the rules below; a message no rule understands is
reported, so it gets a rule (or a wording that needs none) before it ships.
"""
import re
import sys
import xml.etree.ElementTree as ET

# Whole phrases whose singular is not just the plural without "(s)".
SPECIAL = [
    ("item(s) are", "item is", "items are"),
    ("item(s) of the batch are", "item of the batch is", "items of the batch are"),
    ("they may have been deleted", "it may have been deleted", "they may have been deleted"),
    ("%n items</b>", "%n item</b>", "%n items</b>"),
    ("%n documents", "%n document", "%n documents"),
]


def forms(source):
    singular, plural = source, source
    for phrase, one, many in SPECIAL:
        singular = singular.replace(phrase, one)
        plural = plural.replace(phrase, many)
    singular = singular.replace("(s)", "")
    plural = plural.replace("(s)", "s")
    return singular, plural


def main(path):
    tree = ET.parse(path)
    root = tree.getroot()
    root.set("language", "en")
    for message in root.iter("message"):
        if message.get("numerus") != "yes":
            continue
        source = message.find("source").text
        translation = message.find("translation")
        for child in list(translation):
            translation.remove(child)
        translation.attrib.pop("type", None)
        for text in forms(source):
            form = ET.SubElement(translation, "numerusform")
            form.text = text
    tree.write(path, encoding="utf-8", xml_declaration=True)
    # lupdate writes a DOCTYPE ElementTree drops; Qt's tools do not need it.


if __name__ == "__main__":
    main(sys.argv[1])
