"""The writable fields of PostHog's ``AlertSerializer``, in ``Meta.fields`` order.

Each check turns one request value into its stored form or raises
:class:`~alertsync.emulator.drf.FieldError`; the field-level ``validate_<field>`` methods run
here too, as in DRF: the insight's viewer access and kind gate, organization membership, the
detector config (:mod:`~alertsync.emulator.detectors`, returned normalised) and quiet hours
(:mod:`~alertsync.emulator.schedule`, returned normalised).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from alertsync.emulator.detectors import DetectorError, RawComparisonError, normalize_detector
from alertsync.emulator.drf import (
    FieldError,
    not_null,
    required,
    to_boolean,
    to_char,
    to_choice,
    to_pk,
    to_pk_list,
    type_name,
)
from alertsync.emulator.insight_gates import kind_gate_error, viewer_error
from alertsync.emulator.pydantic_models import SchemaError, parse_threshold
from alertsync.emulator.refusals import server_error
from alertsync.emulator.schedule import ScheduleError, normalize_schedule
from alertsync.emulator.seed import Seed
from alertsync.emulator.stored import INTERVALS

NON_FIELD = ("non_field_errors",)


@dataclass(frozen=True)
class FieldContext:
    seed: Seed
    partial: bool  # PATCH: nested required keys are not enforced either
    user_id: int | None = None  # the requesting user (viewer access); None: the emulator


FieldCheck = Callable[[Any, FieldContext], Any]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    check: FieldCheck
    required: bool = False
    allow_null: bool = False
    blank_is_null: bool = False  # relational fields read "" as null

    def clean(self, value: Any, context: FieldContext) -> Any:
        if self.blank_is_null and value == "":
            value = None
        if value is None:
            if not self.allow_null:
                raise not_null()
            return None
        return self.check(value, context)


def _insight(value: Any, context: FieldContext) -> int:
    """``TeamScopedPrimaryKeyRelatedField`` then ``validate_insight``."""
    seed = context.seed
    live = {pk for pk in seed.insights if seed.live_insight(pk) is not None}
    pk = to_pk(value, live)
    insight = seed.insights[pk]
    problem = viewer_error(seed, context.user_id, insight) or kind_gate_error(seed, insight)
    if problem is not None:
        raise FieldError(problem)
    return pk


def _subscribed_users(value: Any, context: FieldContext) -> list[int]:
    users = to_pk_list(value, context.seed.users)
    for user_id in users:
        if not context.seed.is_member(user_id):
            raise FieldError("User does not belong to the same organization as the alert's team.")
    return users


def _threshold(value: Any, context: FieldContext) -> dict[str, Any]:
    """The nested ``ThresholdSerializer``, including its ``Threshold.clean()`` call."""
    if not isinstance(value, Mapping):
        detail = f"Invalid data. Expected a dictionary, but got {type_name(value)}."
        raise FieldError(detail, path=NON_FIELD)
    result: dict[str, Any] = {}
    if "name" in value:
        result["name"] = _nested("name", value["name"], to_char)
    if "configuration" in value:
        result["configuration"] = _nested("configuration", value["configuration"], _identity)
    elif not context.partial:
        raise required(("configuration",))
    _clean_threshold(result.get("configuration", {}))
    return result


def _nested(name: str, value: Any, check: Callable[[Any], Any]) -> Any:
    try:
        if value is None:
            raise not_null()
        return check(value)
    except FieldError as error:
        raise FieldError(error.detail, error.code, (name,)) from None


def _clean_threshold(configuration: Any) -> None:
    try:
        bounds = parse_threshold(configuration)
    except SchemaError as error:
        raise FieldError(f"Invalid threshold configuration: {error}", path=NON_FIELD) from None
    if bounds.lower is not None and bounds.upper is not None and bounds.lower > bounds.upper:
        raise FieldError("Lower threshold must be less than upper threshold", path=NON_FIELD)


def _identity(value: Any) -> Any:
    return value


def _same(value: Any, context: FieldContext) -> Any:
    return value


def _boolean(value: Any, context: FieldContext) -> bool | None:
    return to_boolean(value)


def _nullable_boolean(value: Any, context: FieldContext) -> bool | None:
    return to_boolean(value, allow_null=True)


def _name(value: Any, context: FieldContext) -> str:
    return to_char(value)


def _interval(value: Any, context: FieldContext) -> str:
    return to_choice(value, INTERVALS)


def _inconclusive_action(value: Any, context: FieldContext) -> str:
    return to_choice(value, ("notify", "suppress"))


def _snoozed_until(value: Any, context: FieldContext) -> str:
    if not isinstance(value, str):
        raise FieldError("snoozed_until has to be passed in string format")
    return value


def _schedule(value: Any, context: FieldContext) -> dict[str, Any] | None:
    try:
        return normalize_schedule(value)
    except ScheduleError as error:
        raise FieldError(str(error)) from None


def _detector(value: Any, context: FieldContext) -> Any:
    """S ``validate_detector_config``: stored as the model dump."""
    try:
        return normalize_detector(value)
    except DetectorError as error:
        raise FieldError(str(error)) from None
    except RawComparisonError:
        raise server_error() from None


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("insight", _insight, required=True, blank_is_null=True),
    FieldSpec("name", _name),
    FieldSpec("subscribed_users", _subscribed_users, required=True),
    FieldSpec("threshold", _threshold, required=True),
    FieldSpec("condition", _same, allow_null=True),
    FieldSpec("enabled", _boolean),
    FieldSpec("config", _same, allow_null=True),
    FieldSpec("detector_config", _detector, allow_null=True),
    FieldSpec("calculation_interval", _interval),
    FieldSpec("snoozed_until", _snoozed_until, allow_null=True),
    FieldSpec("skip_weekend", _nullable_boolean, allow_null=True),
    FieldSpec("schedule_restriction", _schedule, allow_null=True),
    FieldSpec("investigation_agent_enabled", _boolean),
    FieldSpec("investigation_gates_notifications", _boolean),
    FieldSpec("investigation_inconclusive_action", _inconclusive_action),
)


def clean_fields(data: Mapping[str, Any], context: FieldContext) -> dict[str, Any]:
    """Validated values of the fields present; the first failing field (in order) raises."""
    values: dict[str, Any] = {}
    for spec in FIELDS:
        try:
            if spec.name in data:
                values[spec.name] = spec.clean(data[spec.name], context)
            elif spec.required and not context.partial:
                raise required()
        except FieldError as error:
            raise FieldError(error.detail, error.code, (spec.name, *error.path)) from None
    return values
