"""Writes the upload corpus in tests/data/ (run from the project root: .venv/bin/python tests/data/make_corpus.py).

Most files are written byte by byte here, shaped like what the police's and the
kommun's systems export. The files named *_libreoffice.* are saved by LibreOffice
Calc itself (headless, Swedish locale), from the CSV sources in tests/data/libreoffice/.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "libreoffice"


def write(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def patrol_rows(n: int, first_day: int = 1) -> list[str]:
    return [f"2024-04-{first_day + i:02d};19:00;2;Timrå centrum;Torget;polisen;2;{i + 1};" for i in range(n)]


PATROL_HEADER = "Datum;Starttid;Varaktighet (timmar);Område;Plats;Organisation;Antal personal;Medborgarkontakter;Kommentar"


def good_files() -> None:
    write("fotpatrull_utf8_bom.csv", "\ufeff" + "\r\n".join([
        PATROL_HEADER,
        "2024-03-05;18:30;2,5;Timrå centrum;Köpcentrum;Polisen;2;5;Lugnt i området.",
        "2024-03-06;18.30;1,5;TIMRÅ CENTRUM;Torget;polisen;3;2;",
        "2024-03-07;21:15;2;timra centrum;;Polisen och kommunen;4;7;Samverkan med fältassistenter.",
        "2024-03-08;9:05;1;vivsta;Skolan;samverkan;2;0;",
    ]) + "\r\n")
    write("atraktor_komma_engelska_rubriker.csv", "\n".join([
        "date,time,hours,area,place,organization,staff,vehicles checked,illegal vehicles,driving bans,reports,notes",
        '5/3/2024,18.30,"2,5",Sörberge,Idrottsplatsen,Polisen,2,12,3,2,1,"Kontroll, tillsammans med kommunen"',
        '12/4/2024,19:00,"1,5",Bergeforsen,,Timrå kommun,2,8,0,0,0,',
        "1/5/2024,20:00,3,soraker,Hamnen,polisen,3,15,4,3,2,Buskörning på grusplanen",
    ]) + "\n")
    write("informationstraff_tabb_typkolumn.txt", "\n".join([
        "AKTIVITETSTYP\tDATUM\tSTART_TID\tOmråde\tOrganisation\tÄmnen\tMålgrupp\tANTAL_DELTAGARE\tKommentar",
        "Informationsträff\t2024-02-13\t18:30\tVivsta\tsamverkan\talkohol, narkotika\tVårdnadshavare\t34\t",
        "Informationsträff\t2024-02-20\t19:00\tSöråker\tkommunen\tvåld i nära relation\tskolpersonal; unga\t21\tFöräldramöte åk 8",
    ]) + "\n")
    write("fotpatrull_tomma_rader_och_kolumner.csv", "\r\n".join([
        "DATUM ; Start_tid ;varaktighet(timmar);OMRÅDE;Organisation; antal personal ;MEDBORGAR_KONTAKTER;;;",
        "2024-05-03;20:00;2;Åkroken;polisen;2;4;;;",
        "2024-05-04;20:30;2,5;akroken;polisen;2;6;;;",
        ";;;;;;;;;",
        ";;;;;;;;;",
        "",
        "",
    ]))
    write("droghandel_typkolumn.csv", "\n".join([
        "Typ;Datum;Område;Organisation;Kontrollerade personer;Beslag;Anmälningar;Id",
        "Insats mot öppen droghandel;2024-01-19;Timrå centrum;samverkan;9;2;1;NAR-24-001",
        "insats mot öppen droghandel;2024-02-16;Vivsta;samverkan;6;0;1;NAR-24-002",
    ]) + "\n")
    write("fotpatrull_dubbletter.csv", "\n".join([
        "Datum;Område;Organisation;Medborgarkontakter;Id i källsystemet",
        "2024-06-01;Vivsta;polisen;3;P-1",
        "2024-06-02;Vivsta;polisen;4;P-2",
        "2024-06-02;Vivsta;polisen;9;P-2",     # same external id as row 3: skipped
        "2024-06-03;Vivsta;polisen;5;",
        "2024-06-03;vivsta;Polisen;5;",        # same normalised content as row 5: skipped
    ]) + "\n")

    book = Workbook()
    sheet = book.active
    sheet.title = "Export"
    sheet.append(["Datum", "Starttid", "Varaktighet (timmar)", "Område", "Organisation", "Medborgarkontakter", None, None])
    for serial, hour, area in ((45356, 18, "Timrå centrum"), (45357, 19, "Vivsta"), (45358, 20, "Fagervik")):
        sheet.append([serial, dt.time(hour, 30), 2.5, area, "polisen", 3, "", " "])
    sheet.append([None, None, None, "", None, None])
    sheet.append(["", "", "", "", "", ""])
    book.save(HERE / "fotpatrull_excel_serienummer.xlsx")


def bad_files() -> None:
    dates = patrol_rows(15)
    dates.append("2024-13-01;19:00;2;Timrå centrum;Torget;polisen;2;3;")   # row 17
    dates.append("2024-04-20;19:00;2;Timrå centrum;Torget;polisen;2;3;")
    write("fel_datum.csv", "\n".join([PATROL_HEADER.replace("Datum", "datum"), *dates]) + "\n")
    write("fel_omrade.csv", "\n".join([
        PATROL_HEADER,
        "2024-04-01;19:00;2;Timrå centrun;;polisen;2;3;",
        "2024-04-02;19:00;2;Mordor;;polisen;2;3;",
        "2024-04-03;19:00;2;Sörbärge;;polisen;2;3;",
    ]) + "\n")
    for name, comment in (("personnummer", "Samtal med 19800101-1234 om skadegörelse"),
                          ("telefonnummer", "Anmälaren nås på 070-123 45 67"),
                          ("epost", "Kontakt: anna.andersson@example.se"),
                          ("registreringsnummer", "Bil ABC 123 kontrollerad")):
        write(f"fel_{name}.csv", "\n".join([
            PATROL_HEADER, "2024-04-01;19:00;2;Vivsta;;polisen;2;3;Lugnt", f"2024-04-02;19:00;2;Vivsta;;polisen;2;3;{comment}",
        ]) + "\n")
    write("fel_obligatorisk_kolumn_saknas.csv", "Datum;Organisation;Medborgarkontakter\n2024-04-01;polisen;3\n")
    write("fel_varden_saknas.csv", "\n".join([PATROL_HEADER, "2024-04-01;19:00;2;;;polisen;2;3;",
                                             ";19:00;2;Vivsta;;;2;3;"]) + "\n")
    write("fel_tal.csv", "\n".join([PATROL_HEADER, "2024-04-01;19:00;två;Vivsta;;polisen;tre;-2;",
                                   "2024-04-02;19:00;-1;Vivsta;;polisen;0;2,5;"]) + "\n")
    write("fel_tid.csv", "\n".join([PATROL_HEADER, "2024-04-01;25:00;2;Vivsta;;polisen;2;3;",
                                   "2024-04-02;kväll;2;Vivsta;;polisen;2;3;"]) + "\n")
    write("fel_sammanstallning.csv", "\n".join([
        "Datum;Till och med;Antal aktiviteter;Starttid;Område;Organisation;Typ av kontroll;Riskplats;Utandningsprov",
        "2024-03-31;2024-03-01;8;;Vivsta;polisen;nykterhet;ja;240",
        "2024-03-01;2024-03-31;8;18:00;Vivsta;polisen;nykterhet;ja;240",
        "2024-04-01;2024-04-30;0;;Vivsta;polisen;nykterhet;ja;240",
    ]) + "\n")
    write("fel_flera_typer.csv", "\n".join([
        "Aktivitetstyp;Datum;Område;Organisation", "Fotpatrull;2024-04-01;Vivsta;polisen",
        "Trafikkontroll;2024-04-02;Vivsta;polisen"]) + "\n")
    write("okand_typ.csv", "Datum;Område;Organisation;Antal personal\n2024-04-01;Vivsta;polisen;2\n")
    write("fel_extra_falt.csv", "\n".join(["Datum;Område;Organisation;Medborgarkontakter",
                                          "2024-04-01;Vivsta;polisen;3", "2024-04-02;Vivsta;polisen;3;extra;fält",
                                          "2024-04-03;Vivsta;polisen;3;;"]) + "\n")
    shutil.copyfile(HERE / "fotpatrull_excel_serienummer.xlsx", HERE / "fel_trasig.xlsx")
    data = (HERE / "fel_trasig.xlsx").read_bytes()
    (HERE / "fel_trasig.xlsx").write_bytes(data[: len(data) // 2])
    (HERE / "fel_binar.csv").write_bytes(bytes(range(256)) * 4)
    (HERE / "fel_gammalt_excelformat.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    write("fel_organisation.csv", "Aktivitetstyp;Datum;Område;Organisation\nFotpatrull;2024-04-01;Vivsta;Länsstyrelsen\n")
    write("fel_kontrolltyp_och_riskplats.csv", "\n".join([
        "Datum;Område;Organisation;Typ av kontroll;Identifierad riskplats;Utandningsprov",
        "2024-04-01;Vivsta;polisen;alkohol;kanske;30"]) + "\n")
    write("fel_amnen.csv", "\n".join([
        "Aktivitetstyp;Datum;Område;Organisation;Ämnen;Målgrupp;Deltagare",
        "Informationsträff;2024-04-01;Vivsta;kommunen;alkohol, fiske;vårdnadshavare;20"]) + "\n")
    write("fel_olagliga_fler_an_kontrollerade.csv", "\n".join([
        "Datum;Område;Organisation;Kontrollerade fordon;Olagliga eller ombyggda fordon",
        "2024-05-01;Vivsta;polisen;4;6"]) + "\n")


def libreoffice_files() -> None:
    """CSV in Windows-1252 with `;` and XLSX, saved by LibreOffice Calc with the Swedish locale."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        settings = profile / "user" / "registrymodifications.xcu"
        settings.parent.mkdir(parents=True)
        settings.write_text(
            '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
            "<value>sv-SE</value></prop></item></oor:items>", encoding="utf-8")
        for source, target, convert in (
            ("trafikkontroll.csv", "trafikkontroll_cp1252_libreoffice.csv", "csv:Text - txt - csv (StarCalc):59,34,1,1"),
            ("trafikkontroll_manadssummor.csv", "trafikkontroll_manadssummor_libreoffice.xlsx", "xlsx"),
        ):
            out = Path(tmp) / "out"
            subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                            "--infilter=CSV:59,34,76,1,,1053", "--convert-to", convert, "--outdir", str(out),
                            str(SOURCES / source)], check=True, capture_output=True, timeout=180)
            produced = out / (Path(source).stem + "." + convert.split(":")[0])
            shutil.move(produced, HERE / target)


def _resave(source: Path, target: str, convert: str = "xlsx") -> None:
    """Open `source` in LibreOffice Calc (headless) and save it as tests/data/<target>: LibreOffice writes
    the workbook as it would for a user, formulas with their computed values."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        profile = Path(tmp) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                        "--infilter=CSV:59,34,76,1,,1053", "--convert-to", convert, "--outdir", str(out),
                        str(source)], check=True, capture_output=True, timeout=180)
        shutil.move(out / (source.stem + "." + convert), HERE / target)


PATROL_XLSX = ["Datum", "Starttid", "Varaktighet (timmar)", "Område", "Organisation", "Medborgarkontakter"]


def sheet_files() -> None:
    """The files of issue 16's reading rules: several sheets, merged and empty headers, formulas, units,
    empty files, missing columns, declared dimensions and limits."""
    with tempfile.TemporaryDirectory() as tmp:
        book = Workbook()
        cover = book.active
        cover.title = "Försättsblad"
        cover.append(["Aktivitetsrapport första kvartalet 2024"])
        cover.append(["Lokalpolisområde Medelpad och Timrå kommun"])
        march = book.create_sheet("Mars")
        march.append(PATROL_XLSX)
        for day, area in ((5, "Timrå centrum"), (12, "Vivsta"), (19, "Sörberge")):
            march.append([dt.date(2024, 3, day), dt.time(19, 0), 2, area, "polisen", day])
        april = book.create_sheet("April")
        april.append(["Datum", "Område", "Organisation", "Typ av kontroll", "Identifierad riskplats",
                      "Kontrollerade fordon", "Utandningsprov"])
        april.append([dt.date(2024, 4, 2), "Vivsta", "polisen", "nykterhet", "ja", 40, 38])
        april.append([dt.date(2024, 4, 9), "Söråker", "polisen", "hastighet", "nej", 55, 0])
        may = book.create_sheet("Maj")
        may.append(PATROL_XLSX)
        book.create_sheet("Tomt")
        book.save(Path(tmp) / "blad_per_manad.xlsx")
        _resave(Path(tmp) / "blad_per_manad.xlsx", "blad_per_manad_libreoffice.xlsx")

        book = Workbook()
        sheet = book.active
        sheet.title = "Patruller"
        sheet.append(["Datum", "Område", None, "Organisation", "Medborgarkontakter"])
        sheet.merge_cells("B1:C1")
        sheet.append([dt.date(2024, 3, 5), "Timrå centrum", "Köpcentrum", "polisen", 4])
        sheet.append([dt.date(2024, 3, 6), "Vivsta", "Skolan", "polisen", 2])
        book.save(Path(tmp) / "fel_sammanfogad_rubrik.xlsx")
        _resave(Path(tmp) / "fel_sammanfogad_rubrik.xlsx", "fel_sammanfogad_rubrik_libreoffice.xlsx")

        # Formulas written by a script have no saved value; LibreOffice computes and saves them.
        book = Workbook()
        sheet = book.active
        sheet.title = "Patruller"
        sheet.append(PATROL_XLSX)
        for day in range(1, 12):
            sheet.append([dt.date(2024, 3, day), dt.time(19, 0), 2, "Vivsta", "polisen", day])
        sheet["F12"] = "=F11+1"
        book.save(HERE / "fel_formel_utan_varde.xlsx")
        _resave(HERE / "fel_formel_utan_varde.xlsx", "formel_med_sparat_varde_libreoffice.xlsx")

        source = Path(tmp) / "fotpatrull_duration_min.csv"
        source.write_text("Datum;Område;Organisation;duration_min;Medborgarkontakter\n"
                          "2024-03-05;Timrå centrum;polisen;120;4\n2024-03-06;Vivsta;polisen;45;2\n", encoding="utf-8")
        _resave(source, "fotpatrull_duration_min_libreoffice.xlsx")

    # A sheet declaring the whole grid (A1:XFD1048576) while holding two rows.
    book = Workbook()
    sheet = book.active
    sheet.title = "Patruller"
    sheet.append(PATROL_XLSX)
    sheet.append([dt.date(2024, 3, 5), dt.time(19, 0), 2, "Vivsta", "polisen", 3])
    sheet.append([dt.date(2024, 3, 6), dt.time(19, 0), 2, "Vivsta", "polisen", 4])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as original, zipfile.ZipFile(HERE / "deklarerad_dimension_hela_bladet.xlsx", "w",
                                                             zipfile.ZIP_DEFLATED) as patched:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:F3"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in data
            patched.writestr(item, data)

    write("fotpatrull_varaktighet_minuter.csv", "Datum;Område;Organisation;Varaktighet (minuter);Medborgarkontakter\n"
          "2024-03-05;Vivsta;polisen;90;3\n2024-03-06;Vivsta;polisen;150;2\n")
    write("fel_enhet_okand.csv", "Datum;Område;Organisation;Varaktighet (dagar);Medborgarkontakter\n"
          "2024-03-05;Vivsta;polisen;1;3\n")
    write("fel_enhet_saknas.csv", "Datum;Område;Organisation;Varaktighet;Medborgarkontakter\n"
          "2024-03-05;Vivsta;polisen;2;3\n")
    write("fel_bara_rubriker.csv", PATROL_HEADER + "\n")
    write("fel_tom_rubrik.csv", "Datum;Område;;Organisation;Varaktighet (timmar);Medborgarkontakter\n"
          "2024-03-05;Vivsta;Torget;polisen;2;3\n2024-03-06;Vivsta;;polisen;2;3\n"
          "2024-03-07;Vivsta;Skolan;polisen;2;3\n2024-03-08;Vivsta;Torget;polisen;2;3\n"
          "2024-03-09;Vivsta;Torget;polisen;2;3\n")
    write("fotpatrull_utan_varaktighet.csv", "Datum;Område;Organisation;Medborgarkontakter\n"
          "2024-03-05;Timrå centrum;polisen;3\n")
    # A line of 2 000 bytes: over the limit the tests set (the real one is 1 MB).
    write("fel_for_lang_rad.csv", PATROL_HEADER + "\n2024-03-05;19:00;2;Vivsta;;polisen;2;3;Lugnt\n"
          + "2024-03-06;19:00;2;Vivsta;;polisen;2;3;" + "x" * 2000 + "\n")


if __name__ == "__main__":
    good_files()
    bad_files()
    libreoffice_files()
    sheet_files()
