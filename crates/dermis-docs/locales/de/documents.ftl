# Dermis-Dokumente, Deutsch.

## Shared
letterhead-phone = Tel. { $phone }
patient = Patient/in
patient-number = Patientennummer
printed-on = Gedruckt am { $date }
date-at-time = { $date } um { $time } Uhr
weekday-date = { $weekday }, { $date }
sessions-count = { $count ->
    [one] { $count } Sitzung
   *[other] { $count } Sitzungen
}
every-weeks = { $count ->
    [one] jede Woche
   *[other] alle { $count } Wochen
}
course-value = { $sessions }, { $every }

## Aftercare sheet
aftercare-title = Pflege nach Ihrer Behandlung
treatment-date = Behandlungsdatum
pih-heading = Besondere Vorsicht bei Ihrem Hauttyp
pih-body = Nach der Behandlung können sich auf Ihrer Haut dunkle Flecken bilden (postinflammatorische Hyperpigmentierung). Meiden Sie die Sonne, verwenden Sie täglich Sonnenschutz und rufen Sie uns an, wenn Hautstellen dunkler werden.
next-appointment = Ihr nächster Termin
next-not-booked = Noch nicht gebucht. Rufen Sie uns an, um Ihre nächste Sitzung zu buchen.
not-booked-yet = noch nicht gebucht
call-us = Fragen oder Sorgen? Rufen Sie uns an:
aftercare-footer = { $clinic } · Pflegehinweise · { $number }
aftercare-doc-title = Pflegehinweise { $number }
aftercare-batch-title = Pflegehinweise ({ $count })

## Schedule card
schedule-title = Ihr Behandlungsplan
course = Behandlung
column-visit = Besuch
column-date = Datum
column-time = Uhrzeit
session-n = Sitzung { $n }
time-to-confirm = Uhrzeit wird noch bestätigt
maintenance-n = Auffrischung { $n }
we-will-call = wir rufen Sie zur Terminvereinbarung an
your-appointments = Ihre Termine
no-dates = Noch keine Termine gebucht. Rufen Sie uns an, um Ihre Sitzungen zu planen.
more-dates = { $count ->
    [one] … und 1 weiterer Termin: Bitte rufen Sie uns für die vollständige Liste an.
   *[other] … und { $count } weitere Termine: Bitte rufen Sie uns für die vollständige Liste an.
}
call-to-move = Um einen Termin zu verschieben, rufen Sie { $clinic } unter { $phone } an
schedule-footer = { $clinic } · Terminplan · { $number }
schedule-doc-title = Behandlungsplan { $number }

## Progress summary
progress-title = Verlaufsbericht der Behandlung
plan = Plan
plan-value = { $course } ({ $status })
status-active = läuft
status-paused = pausiert
status-completed = abgeschlossen
status-cancelled = abgebrochen
next-maintenance = Nächste Auffrischung
not-scheduled = Noch nicht geplant
scar-score = Narbenscore (Goodman & Baron)
photos-of = Fotos: { $area }
photo-first = Erstes · { $date }
photo-latest = Neuestes · { $date }
column-number = Nr.
column-zones = Bereiche
column-depth = Tiefe
column-notes = Notizen
sessions-heading = Sitzungen
sessions-continued = Sitzungen (Fortsetzung)
no-sessions = Noch keine Sitzungen erfasst.
no-scores = Noch keine Scores erfasst.
progress-footer = { $clinic } · Verlaufsbericht · { $number } · Erstellt am { $date }
page-of = Seite { $page } von { $pages }
progress-running-head = Verlaufsbericht · { $number } · { $name }
against-baseline = Im Vergleich zum Ausgangswert
headline-no-scores = Noch keine Scores
headline-baseline = Ausgangswert erfasst
headline-no-change = Keine eindeutige Veränderung
headline-improved = { $percent } % Verbesserung
headline-worse = { $points ->
    [one] Score 1 Punkt höher
   *[other] Score { $points } Punkte höher
}
baseline-on = Ausgangswert { $score } am { $date }.
baseline-and-latest = Ausgangswert { $baseline } ({ $baseline-date }), zuletzt { $latest } ({ $latest-date }).
note-no-change = Eine Veränderung um 4 Punkte oder weniger liegt innerhalb der Abweichung zwischen Beurteilenden.
note-band = Schattiert: höchstens 4 Punkte vom Ausgangswert entfernt (keine eindeutige Veränderung).
progress-doc-title = Verlaufsbericht { $number }

## Treatment zones (session table)
zone-forehead = Stirn
zone-nose = Nase
zone-around-eyes = Augenpartie
zone-cheekbones = Wangenknochen
zone-cheeks-chin = Wangen und Kinn
zone-upper-lip = Oberlippe
zone-scarred-areas = Vernarbte Bereiche

## Photo areas and angles (progress summary); needle depths
photo-area-angle = { $area }, { $angle }
depth-mm = { $value } mm
area-forehead = Stirn
area-temples = Schläfen
area-nose = Nase
area-around-eyes = Augenpartie
area-cheekbones = Wangenknochen
area-cheeks = Wangen
area-chin = Kinn
area-upper-lip = Oberlippe
area-jawline = Kieferlinie
area-neck = Hals
area-chest = Dekolleté
area-back = Rücken
angle-front = frontal
angle-left = linke Seite
angle-right = rechte Seite
angle-left-oblique = schräg links
angle-right-oblique = schräg rechts

## Recall letter
recall-title = Zeit für Ihre Erhaltungsbehandlung
recall-greeting = Guten Tag { $name },
recall-body = Ihre Behandlungsserie ist abgeschlossen. Damit das Ergebnis erhalten bleibt, ist Ihre nächste Erhaltungssitzung am { $date } fällig.
recall-call = Bitte rufen Sie { $clinic } unter { $phone } an, um einen passenden Termin zu vereinbaren.
recall-call-no-phone = Bitte rufen Sie { $clinic } an, um einen passenden Termin zu vereinbaren.
recall-already-booked = Falls Sie bereits einen Termin vereinbart haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.
recall-signoff = Mit freundlichen Grüßen
recall-footer = { $clinic } · Erinnerung an die Erhaltungssitzung · { $number }
recall-doc-title = Erinnerung an die Erhaltungssitzung { $number }
