#!/usr/bin/env python3
"""Writes the CSV fixture catalogue next to this script, byte-exact.

Each file is named after the one defect (or quirk) it exercises; the tests in ../SourceParsingTests.swift
say what each must parse to or how it must be refused. Run from anywhere: python3 make_fixtures.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
BOM = b"\xef\xbb\xbf"
AGES = ["JONGER"] + [str(a) for a in range(4, 25)] + ["OUDER"]
PO_SCHOOL = ["PEILDATUM", "GEMEENTENUMMER", "GEMEENTENAAM", "POSTCODE_LEERLING", "GEMEENTENAAM_LEERLING"]
PO_REST = ["INSTELLINGSNAAM_VESTIGING", "POSTCODE_VESTIGING", "PLAATSNAAM", "PROVINCIE", "SOORT_PO",
           "DENOMINATIE_VESTIGING", "BEVOEGD_GEZAG_NUMMER"] + ["LEEFTIJD_" + a for a in AGES]
PO2024 = PO_SCHOOL + ["INSTELLINGSCODE", "VESTIGINGSCODE"] + PO_REST            # 37 columns
PO_OLD = PO_SCHOOL + ["BRIN_NUMMER", "VESTIGINGSNUMMER"] + PO_REST + ["TOTAAL"]  # 38 columns
assert len(PO2024) == 37 and len(PO_OLD) == 38


def cells(values):
    """23 age cells; `values` maps an age label ('JONGER', '4'..'24', 'OUDER') to its text."""
    return [str(values.get(a, "0")) for a in AGES]


def po(peil, gnum, gnaam, pc, home, inst, vest, school, pcv, plaats, soort, ages, prov="Zuid-Holland",
       denom="Openbaar", bg="41886", total=None):
    row = [peil, gnum, gnaam, pc, home, inst, vest, school, pcv, plaats, prov, soort, denom, bg] + cells(ages)
    if total is not None:
        row.append(str(total))
    return row


def quoted(row, sep=";"):
    return sep.join('"' + f.replace('"', '""') + '"' for f in row)


def bare(row, sep=";"):
    return sep.join(row)


def write(name, text=None, data=None, encoding="utf-8", bom=False, eol="\n"):
    if data is None:
        data = (BOM if bom else b"") + text.replace("\n", eol).encode(encoding)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def lines(*rows):
    return "".join(r + "\n" for r in rows)


# --- 2024 layout rows (UTF-8) -------------------------------------------------------------------------------
D1 = po("20241001", "0503", "Delft", "2612", "Delft", "00PZ", "00", "Herman Broerenschool", "2612SP", "DELFT",
        "Bo", {"5": "12", "6": "<5", "7": "3"}, denom="Algemeen bijzonder", bg="38209")
D2 = po("20241001", "0503", "Delft", "2495", "'s-Gravenhage", "01AB", "01", "Daltonschool Zoë", "2611AB", "DELFT",
        "Sbo", {"10": "<5"})
D3 = po("20241001", "0503", "Delft", "2285", "Rijswijk", "01AB", "01", "Daltonschool Zoë", "2611AB", "DELFT",
        "Vso", {"JONGER": "1", "OUDER": "<5", "24": "2"})

write("bom_utf8.csv", lines(quoted(PO2024), quoted(D1), quoted(D2)), bom=True)
write("lf.csv", lines(quoted(PO2024), quoted(D1), quoted(D2), quoted(D3)), bom=True)
write("crlf.csv", lines(quoted(PO2024), quoted(D1), quoted(D2), quoted(D3)), bom=True, eol="\r\n")

# Bare integers and bare <5 among quoted fields; a school postcode written with a space.
mixed = ['20241001', '"0518"', '"\'s-Gravenhage"', '"2511"', '"\'s-Gravenhage"', '"12AB"', '"00"', '"De Linde"',
         '"2511 CV"', '"\'S-GRAVENHAGE"', '"Zuid-Holland"', '"Bo"', '"Openbaar"', '"41886"'] + \
        ['7' if a == "6" else '<5' if a == "7" else '"0"' for a in AGES]
write("mixed_quoting.csv", lines(quoted(PO2024), ";".join(mixed)), bom=True)

comma_row = po("20241001", "0518", "'s-Gravenhage", "2511", "'s-Gravenhage", "12AB", "00",
               "Basisschool A, locatie B; noord", "2511CV", "'S-GRAVENHAGE", "Bo", {"8": "4"})
write("comma_delimiter.csv", lines(quoted(PO2024, ","), quoted(comma_row, ",")))
write("tab_delimiter.csv", lines(bare(PO2024, "\t"), bare(comma_row, "\t")))

write("trailing_blank_lines.csv", lines(quoted(PO2024), quoted(D1), quoted(D2)) + "\n\n\r\n\n", bom=True)

ragged = quoted(D3).rsplit(";", 1)[0]  # last field dropped: 36 fields
write("ragged_row.csv", lines(quoted(PO2024), quoted(D1), ragged), bom=True)

write("empty.csv", data=b"")
write("header_only.csv", lines(quoted(PO2024)), bom=True)
write("utf16le.csv", data=b"\xff\xfe" + lines(quoted(PO2024), quoted(D1)).encode("utf-16-le"))

latin_row = quoted(D2).replace("Zoë", "ZoX").encode("utf-8").replace(b"ZoX", b"Zo\xeb")
write("invalid_utf8_after_bom.csv",
      data=BOM + lines(quoted(PO2024), quoted(D1)).encode("utf-8") + latin_row + b"\n")

write("nul_bytes.csv", data=lines(quoted(PO2024), quoted(D1)).encode("utf-8") + b'"20241001";\x00\n')

write("unknown_header.csv", lines("NAAM;ADRES;AANTAL", "De Linde;Laan 1;12"))
write("extra_column.csv", lines(quoted(PO2024 + ["OPMERKING"]), quoted(D1 + ["geen"])), bom=True)

bad = list(D2); bad[PO2024.index("LEEFTIJD_9")] = "3,5"
write("bad_count.csv", lines(quoted(PO2024), quoted(D1), quoted(bad)), bom=True)

bad = list(D2); bad[PO2024.index("POSTCODE_LEERLING")] = "0999"
write("bad_postcode.csv", lines(quoted(PO2024), quoted(D1), quoted(bad)), bom=True)

bad = list(D1); bad[PO2024.index("POSTCODE_VESTIGING")] = "2612 S"
write("bad_school_postcode.csv", lines(quoted(PO2024), quoted(bad)), bom=True)

bad = list(D2); bad[PO2024.index("SOORT_PO")] = "Vo"
write("bad_soort.csv", lines(quoted(PO2024), quoted(D1), quoted(bad)), bom=True)

bad = list(D1); bad[0] = "2024-10-01"
write("bad_peildatum.csv", lines(quoted(PO2024), quoted(bad)), bom=True)

old_peil = list(D3); old_peil[0] = "20231001"
write("two_peildata.csv", lines(quoted(PO2024), quoted(D1), quoted(D2), quoted(old_peil)), bom=True)

# An opening quote with no closing quote anywhere after it (the rest of the line is unquoted).
unclosed = bare(D2).replace("Daltonschool Zoë", '"Daltonschool Zoë')
write("unclosed_quote.csv", lines(quoted(PO2024), quoted(D1), unclosed), bom=True)
after = quoted(D1).replace('"Herman Broerenschool"', '"Herman "Broerenschool"')
write("text_after_quote.csv", lines(quoted(PO2024), after), bom=True)

# --- old 38-column layout (Windows-1252, CRLF, unquoted, GEMEENTENUMMER unpadded) -----------------------------
def old(gnum, gnaam, pc, home, school, ages, brin="06PK", vest="00", soort="Bo"):
    filled = cells(ages)
    return po("20171001", gnum, gnaam, pc, home, brin, vest, school, "2612SP", "DELFT", soort, ages,
              total=sum(int(c) for c in filled))


def cp1252(rows):
    return "".join(r + "\n" for r in rows).replace("\n", "\r\n").encode("cp1252")


write("latin1_windows1252.csv", data=cp1252([
    bare(PO_OLD),
    bare(old("503", "Delft", "2611", "Delft", "Mozaïek Noëlle", {"4": "1", "5": "2"})),
    bare(old("503", "Delft", "8701", "Súdwest-Fryslân", "Pompeblêd €uro", {"12": "1"}, vest="01")),
    bare(old("503", "Delft", "2612", "Delft", "Sint Jozef’s school", {"OUDER": "3"}, vest="02")),
]))
latin = open(os.path.join(HERE, "latin1_windows1252.csv"), "rb").read()
assert all(b in latin for b in [b"\xeb", b"\xef", b"\xea", b"\x80", b"\x92", b"\r\n"])

write("doubled_quotes_in_name.csv", data=cp1252([
    bare(PO_OLD),
    ";".join(old("327", "Leusden", "1017", "Amsterdam", "X", {"9": "1"}, brin="18HI")).replace(";X;", ';"Basisschool ""Kla4""";'),
    ";".join(old("327", "Leusden", "3791", "Leusden", "X", {"4": "1", "6": "1"}, brin="18HI", vest="01"))
        .replace(";X;", ';"De ""Regenboog""; locatie 2";'),
    bare(old("327", "Leusden", "3831", "Leusden", "Plain Name", {"7": "2"}, brin="18HI", vest="02")),
]))

write("pseudo_postcodes_padded.csv", data=cp1252([
    bare(PO_OLD),
    bare(old("503", "Delft", "  10", "Belgie", "Mozaïek", {"6": "1"})),
    bare(old("503", "Delft", "  20", "Duitsland", "Mozaïek", {"7": "2"})),
    bare(old("503", "Delft", "  30", "ander land", "Mozaïek", {"8": "1"})),
    bare(old("503", "Delft", "  40", "Onbekend", "Mozaïek", {"9": "1"})),
    bare(old("503", "Delft", "2611", "Delft", "Mozaïek", {"9": "14"})),
]))

write("unpadded_gemeentenummer.csv", data=cp1252([
    bare(PO_OLD),
    bare(old("518", "'s-Gravenhage", "2511", "'s-Gravenhage", "De Linde", {"6": "1"})),
    bare(old(" 518", "'s-Gravenhage", "2512", "'s-Gravenhage", "De Linde", {"6": "1"})),
    bare(old("7", "Bellingwedde", "9693", "Bellingwedde", "De Linde", {"6": "1"}, brin="07AA")),
]))

bad = old("503", "Delft", "2612", "Delft", "Mozaïek", {"5": "3", "6": "1"}); bad[-1] = "5"
write("totaal_mismatch.csv", data=cp1252([bare(PO_OLD), bare(old("503", "Delft", "2611", "Delft", "Mozaïek", {"4": "1"})), bare(bad)]))

bad = old("503", "Delft", "2612", "Delft", "Mozaïek", {"5": "3"}); bad[PO_OLD.index("LEEFTIJD_7")] = "<5"
write("masked_in_old_layout.csv", data=cp1252([bare(PO_OLD), bare(old("503", "Delft", "2611", "Delft", "Mozaïek", {"4": "1"})), bare(bad)]))

# --- vo layouts -------------------------------------------------------------------------------------------------
VO02_OLD = ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "GEMEENTENUMMER", "GEMEENTENAAM",
            "POSTCODE LEERLING", "PLAATSNAAM LEERLING", "GEMEENTENUMMER LEERLING", "GEMEENTENAAM LEERLING"] + \
           ["LEER- OF VERBLIJFSJAAR %d" % i for i in range(1, 7)]
write("vo02_old_no_peildatum.csv", data=cp1252([
    bare(VO02_OLD),
    bare(["02DZ", "00", "Stanislascollege Westplantsoen", "503", "Delft", "2612", "DELFT", "503", "Delft",
          "120", "98", "0", "0", "0", "0"]),
    bare(["02DZ", "00", "Stanislascollege Westplantsoen", "503", "Delft", "2285", "RIJSWIJK ZH", "603", "Rijswijk",
          "1", "0", "2", "0", "0", "3"]),
    bare(["02DZ", "2", "Stanislas Dalton Delft", "503", "Delft", "2497", "'S-GRAVENHAGE", "518", "'s-Gravenhage",
          "0", "0", "0", "4", "1", "0"]),
]))

VO03 = ["BEVOEGD GEZAG NUMMER", "INSTELLINGSCODE", "VESTIGINGSCODE", "INSTELLINGSNAAM VESTIGING", "PLAATSNAAM",
        "GEMEENTENUMMER", "GEMEENTENAAM", "PROVINCIE", "AANTAL LEERLINGEN", "AANTAL VO LEERLINGEN UITBESTEED AAN VAVO"]


def vo03(bg, inst, vest, name, place, gnum, gnaam, n, vavo):
    return quoted([bg, inst, vest, name, place, gnum, gnaam, "Zuid-Holland"]) + ";" + n + ";" + quoted([vavo])


write("vo03_vavo.csv", lines(
    quoted(VO03),
    vo03("20281", "02DZ", "02DZ00", "Stanislascollege Westplantsoen", "DELFT", "0503", "Delft", "1937", "9"),
    vo03("20281", "02DZ", "02DZ02", "Stanislas vmbo/mavo Delft", "DELFT", "0503", "Delft", "516", "<5"),
    vo03("41170", "25GJ", "25GJ03", "Lyceum \"De Grens\"", "RIJSWIJK ZH", "0603", "Rijswijk", "<5", "0"),
))
print("fixtures written to", HERE)
