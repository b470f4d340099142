"""ask-sdk-core request handlers, by concern, in the order skill.builder registers them.

Order matters: the emergency handler comes first, so a serious symptom wins in every intent and
every dialog state; the handlers that answer one request type or intent come next; last, in
their order, whatever none above takes. Each handler reads the triage verdict the interceptor
worked out (skill.interceptors) and the pending question's row (skill.dialog).
"""
from skill.handlers.country import CountryPermissionHandler
from skill.handlers.reminders import (CancelReminderHandler, ReminderPermissionHandler, ReminderStatusHandler,
                                      RemindMeHandler)
from skill.handlers.surgery_date import ForgetSurgeryDateHandler, GetSurgeryDateHandler, SetSurgeryDateHandler
from skill.handlers.symptoms import (EmergencyHandler, FreeWordsHandler, SubjectHandler, SymptomHandler,
                                     TriageAnswerHandler, WhatIfHandler)
from skill.handlers.system import (CanFulfillIntentHandler, CatchAllExceptionHandler, FallbackHandler, HelpHandler,
                                   LaunchHandler, NoAnswerHandler, NoHandler, QuietEventHandler, RepeatHandler,
                                   ScreenButtonHandler, SessionEndedHandler, SkillDisabledHandler, StopHandler,
                                   UnknownIntentHandler, YesHandler)
from skill.handlers.topics import TopicHandler

# The handlers that answer requests of their own, in order (a name-free query asks these).
ANSWERING = (
    EmergencyHandler,
    TriageAnswerHandler,
    RemindMeHandler,
    CountryPermissionHandler,
    ReminderPermissionHandler,
    CancelReminderHandler,
    ReminderStatusHandler,
    ScreenButtonHandler,
    LaunchHandler,
    SymptomHandler,
    FreeWordsHandler,
    SubjectHandler,
    WhatIfHandler,
    SetSurgeryDateHandler,
    GetSurgeryDateHandler,
    ForgetSurgeryDateHandler,
    YesHandler,
    NoHandler,
    HelpHandler,
    RepeatHandler,
    StopHandler,
    FallbackHandler,
    TopicHandler,
    SessionEndedHandler,
    SkillDisabledHandler,
    QuietEventHandler,
)

# Last, in this order: whatever no handler above takes.
LAST = (
    CanFulfillIntentHandler,
    UnknownIntentHandler,
    NoAnswerHandler,
)

REQUEST_HANDLERS = ANSWERING + LAST

EXCEPTION_HANDLERS = (CatchAllExceptionHandler,)
