# وثائق Dermis، العربية.

## Shared
letterhead-phone = هاتف: { $phone }
patient = المريض
patient-number = رقم المريض
printed-on = طُبع في { $date }
date-at-time = { $date } الساعة { $time }
weekday-date = { $weekday }، { $date }
sessions-count = { $count ->
    [zero] لا جلسات
    [one] جلسة واحدة
    [two] جلستان
    [few] { $count } جلسات
    [many] { $count } جلسة
   *[other] { $count } جلسة
}
every-weeks = { $count ->
    [one] كل أسبوع
    [two] كل أسبوعين
    [few] كل { $count } أسابيع
    [many] كل { $count } أسبوعًا
   *[other] كل { $count } أسبوع
}
course-value = { $sessions }، { $every }

## Aftercare sheet
aftercare-title = العناية بعد العلاج
treatment-date = تاريخ العلاج
pih-heading = عناية إضافية لنوع بشرتك
pih-body = قد تظهر على بشرتك بقع داكنة بعد العلاج (فرط تصبّغ ما بعد الالتهاب). ابتعد عن الشمس، واستخدم واقي الشمس كل يوم، واتصل بنا إذا أصبحت بعض مناطق البشرة أغمق.
next-appointment = موعدك القادم
next-not-booked = لم يُحجز بعد. اتصل بنا لحجز جلستك القادمة.
not-booked-yet = لم يُحجز بعد
call-us = أسئلة أو مخاوف؟ اتصل بنا:
aftercare-footer = { $clinic } · إرشادات العناية · { $number }
aftercare-doc-title = إرشادات العناية { $number }
aftercare-batch-title = إرشادات العناية ({ $count })

## Schedule card
schedule-title = جدول علاجك
course = مسار العلاج
column-visit = الزيارة
column-date = التاريخ
column-time = الوقت
session-n = الجلسة { $n }
time-to-confirm = سيُؤكَّد الوقت لاحقًا
maintenance-n = جلسة المتابعة { $n }
we-will-call = سنتصل بك لتحديد الموعد
your-appointments = مواعيدك
no-dates = لا توجد مواعيد محجوزة بعد. اتصل بنا لتخطيط جلساتك.
more-dates = { $count ->
    [one] … وموعد آخر: يُرجى الاتصال بنا للحصول على القائمة الكاملة.
    [two] … وموعدان آخران: يُرجى الاتصال بنا للحصول على القائمة الكاملة.
    [few] … و{ $count } مواعيد أخرى: يُرجى الاتصال بنا للحصول على القائمة الكاملة.
    [many] … و{ $count } موعدًا آخر: يُرجى الاتصال بنا للحصول على القائمة الكاملة.
   *[other] … و{ $count } موعد آخر: يُرجى الاتصال بنا للحصول على القائمة الكاملة.
}
call-to-move = لتغيير موعد، اتصل بنا ({ $clinic }) على الرقم { $phone }
schedule-footer = { $clinic } · جدول المواعيد · { $number }
schedule-doc-title = جدول العلاج { $number }

## Progress summary
progress-title = ملخص تطوّر العلاج
plan = الخطة
plan-value = { $course } ({ $status })
status-active = جارية
status-paused = متوقفة مؤقتًا
status-completed = مكتملة
status-cancelled = ملغاة
next-maintenance = جلسة المتابعة القادمة
not-scheduled = لم تُحدَّد بعد
scar-score = درجة الندبات (غودمان وبارون)
photos-of = الصور: { $area }
photo-first = الأولى · { $date }
photo-latest = الأحدث · { $date }
column-number = رقم
column-zones = المناطق
column-depth = العمق
column-notes = ملاحظات
sessions-heading = الجلسات
sessions-continued = الجلسات (تابع)
no-sessions = لم تُسجَّل أي جلسات بعد.
no-scores = لم تُسجَّل أي درجات بعد.
progress-footer = { $clinic } · ملخص التطوّر · { $number } · أُعدّ في { $date }
page-of = الصفحة { $page } من { $pages }
progress-running-head = ملخص التطوّر · { $number } · { $name }
against-baseline = مقارنةً بالدرجة الأولية
headline-no-scores = لا توجد درجات بعد
headline-baseline = سُجّلت الدرجة الأولية
headline-no-change = لا تغيّر واضح
headline-improved = تحسّن بنسبة { $percent }٪
headline-worse = { $points ->
    [one] ارتفعت الدرجة نقطة واحدة
    [two] ارتفعت الدرجة نقطتين
    [few] ارتفعت الدرجة { $points } نقاط
    [many] ارتفعت الدرجة { $points } نقطة
   *[other] ارتفعت الدرجة { $points } نقطة
}
baseline-on = الدرجة الأولية { $score } في { $date }.
baseline-and-latest = الأولية { $baseline } ({ $baseline-date })، والأحدث { $latest } ({ $latest-date }).
note-no-change = التغيّر بمقدار 4 نقاط أو أقل يقع ضمن التفاوت بين المقيّمين.
note-band = المنطقة المظلّلة: ضمن 4 نقاط من الدرجة الأولية (لا تغيّر واضح).
progress-doc-title = ملخص التطوّر { $number }

## Treatment zones (session table)
zone-forehead = الجبهة
zone-nose = الأنف
zone-around-eyes = حول العينين
zone-cheekbones = عظام الوجنتين
zone-cheeks-chin = الخدان والذقن
zone-upper-lip = الشفة العليا
zone-scarred-areas = المناطق المتندبة

## Photo areas and angles (progress summary); needle depths
photo-area-angle = { $area }، { $angle }
depth-mm = { $value } مم
area-forehead = الجبهة
area-temples = الصدغان
area-nose = الأنف
area-around-eyes = حول العينين
area-cheekbones = عظام الوجنتين
area-cheeks = الخدان
area-chin = الذقن
area-upper-lip = الشفة العليا
area-jawline = خط الفك
area-neck = الرقبة
area-chest = الصدر
area-back = الظهر
angle-front = من الأمام
angle-left = الجانب الأيسر
angle-right = الجانب الأيمن
angle-left-oblique = مائل من اليسار
angle-right-oblique = مائل من اليمين

## Recall letter
recall-title = حان موعد جلسة المتابعة الدورية
recall-greeting = عزيزي/عزيزتي { $name }،
recall-body = لقد أكملتم برنامج العلاج. وللحفاظ على النتائج، يحين موعد جلسة المتابعة الدورية القادمة في { $date }.
recall-call = يُرجى الاتصال بـ { $clinic } على الرقم { $phone } لحجز الموعد الذي يناسبكم.
recall-call-no-phone = يُرجى الاتصال بـ { $clinic } لحجز الموعد الذي يناسبكم.
recall-already-booked = إذا كنتم قد حجزتم موعدًا بالفعل، فيُرجى تجاهل هذه الرسالة.
recall-signoff = مع أطيب التحيات،
recall-footer = { $clinic } · تذكير بجلسة المتابعة · { $number }
recall-doc-title = تذكير بجلسة المتابعة { $number }
