# Dermis documents, English (the reference: every other language has the same messages).
# Numbers ($count, $n, $percent...) are written in the language's digits by the app.

## Shared
letterhead-phone = Tel. { $phone }
patient = Patient
patient-number = Patient number
printed-on = Printed { $date }
date-at-time = { $date } at { $time }
# The weekday in words, the date in the clinic's format ("Thursday 26/11/2026").
weekday-date = { $weekday } { $date }
sessions-count = { $count ->
    [one] { $count } session
   *[other] { $count } sessions
}
every-weeks = { $count ->
    [one] every week
   *[other] every { $count } weeks
}
course-value = { $sessions }, { $every }

## Aftercare sheet
aftercare-title = Aftercare after your treatment
treatment-date = Treatment date
pih-heading = Extra care for your skin type
pih-body = Your skin can develop dark marks after treatment (post-inflammatory hyperpigmentation). Keep out of the sun, use sunscreen every day, and call us if patches of skin turn darker.
next-appointment = Your next appointment
next-not-booked = Not booked yet. Call us to book your next session.
not-booked-yet = not booked yet
call-us = Questions or worries? Call us:
aftercare-footer = { $clinic } · Aftercare sheet · { $number }
aftercare-doc-title = Aftercare sheet { $number }
aftercare-batch-title = Aftercare sheets ({ $count })

## Schedule card
schedule-title = Your treatment schedule
course = Course
column-visit = Visit
column-date = Date
column-time = Time
session-n = Session { $n }
time-to-confirm = time to be confirmed
maintenance-n = Maintenance { $n }
we-will-call = we will call you to book
your-appointments = Your appointments
no-dates = No dates booked yet. Call us to plan your sessions.
more-dates = { $count ->
    [one] … and 1 more date: please call us for the full list.
   *[other] … and { $count } more dates: please call us for the full list.
}
call-to-move = To move an appointment, call { $clinic } on { $phone }
schedule-footer = { $clinic } · Schedule · { $number }
schedule-doc-title = Treatment schedule { $number }

## Progress summary
progress-title = Treatment progress summary
plan = Plan
plan-value = { $course } ({ $status })
status-active = in progress
status-paused = paused
status-completed = completed
status-cancelled = cancelled
next-maintenance = Next maintenance
not-scheduled = Not scheduled yet
scar-score = Scar score (Goodman & Baron)
photos-of = Photos: { $area }
photo-first = First · { $date }
photo-latest = Latest · { $date }
column-number = #
column-zones = Zones
column-depth = Depth
column-notes = Notes
sessions-heading = Sessions
sessions-continued = Sessions (continued)
no-sessions = No sessions recorded yet.
no-scores = No scores recorded yet.
progress-footer = { $clinic } · Progress summary · { $number } · Generated on { $date }
page-of = Page { $page } of { $pages }
progress-running-head = Progress summary · { $number } · { $name }
against-baseline = Against baseline
headline-no-scores = No scores yet
headline-baseline = Baseline recorded
headline-no-change = No clear change
headline-improved = { $percent }% improvement
headline-worse = { $points ->
    [one] Score up 1 point
   *[other] Score up { $points } points
}
baseline-on = Baseline { $score } on { $date }.
baseline-and-latest = Baseline { $baseline } ({ $baseline-date }), latest { $latest } ({ $latest-date }).
note-no-change = A change of 4 points or less is within the variation between assessors.
note-band = Shaded: within 4 points of the baseline (no clear change).
progress-doc-title = Progress summary { $number }

## Treatment zones (session table)
zone-forehead = Forehead
zone-nose = Nose
zone-around-eyes = Around the eyes
zone-cheekbones = Cheekbones
zone-cheeks-chin = Cheeks and chin
zone-upper-lip = Upper lip
zone-scarred-areas = Scarred areas

## Photo areas and angles (progress summary); needle depths
photo-area-angle = { $area }, { $angle }
depth-mm = { $value } mm
area-forehead = Forehead
area-temples = Temples
area-nose = Nose
area-around-eyes = Around the eyes
area-cheekbones = Cheekbones
area-cheeks = Cheeks
area-chin = Chin
area-upper-lip = Upper lip
area-jawline = Jawline
area-neck = Neck
area-chest = Chest
area-back = Back
angle-front = front
angle-left = left side
angle-right = right side
angle-left-oblique = left oblique
angle-right-oblique = right oblique

## Recall letter
recall-title = Time for your maintenance treatment
recall-greeting = Dear { $name },
recall-body = Your course of treatment is complete. To keep your results, your next maintenance session is due on { $date }.
recall-call = Please call { $clinic } on { $phone } to book a time that suits you.
recall-call-no-phone = Please call { $clinic } to book a time that suits you.
recall-already-booked = If you have already booked, please ignore this letter.
recall-signoff = With kind regards,
recall-footer = { $clinic } · Maintenance reminder · { $number }
recall-doc-title = Maintenance reminder { $number }
