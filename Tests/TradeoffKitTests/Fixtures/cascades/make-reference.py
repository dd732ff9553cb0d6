#!/usr/bin/env python3
"""Reference numbers for CascadeReferenceTests, computed independently with numpy and scipy.

The run is built by the same rules as `CascadeReferenceTests.run()` in Swift: three tasks
(a: 30 cases, b: 24, c: 18), a weak open model and a strong frontier model, and an online judge
check on every answer; `weighted` is the same cascade when the tasks state volumes 6, 3 and 2.
Run it from this folder with a Python that has numpy and scipy:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scipy
    /tmp/venv/bin/python make-reference.py > reference.json
"""
import json
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

import numpy as np
from scipy import stats

TASKS = [("a", 30), ("b", 24), ("c", 18)]


def case_rules(t, i):
    """Per case: weak score, strong score, whether the check fails on the weak answer, costs, latencies."""
    weak = ((i * 7 + t * 3) % 5) / 4
    strong = 1.0 if (i * 3 + t) % 7 != 0 else 0.5
    fails = weak < 0.5 or i % 11 == 0
    return dict(weak=weak, strong=strong, fails=fails, weak_cost=10 + i % 3, strong_cost=200 + i % 5, check_cost=2,
                weak_latency=100.0 + i, strong_latency=400.0 + 2 * i)


rows = []
for t, (task, count) in enumerate(TASKS):
    for i in range(count):
        rows.append(dict(task=t, **case_rules(t, i)))

weak = np.array([r["weak"] for r in rows])
strong = np.array([r["strong"] for r in rows])
escalated = np.array([r["fails"] for r in rows])
clusters = np.array([r["task"] for r in rows])
cascade = np.where(escalated, strong, weak)
n = len(rows)

q_c, q_w, q_s = cascade.mean(), weak.mean(), strong.mean()
d = cascade - strong
diff = d.mean()


def clustered_se(values):
    """max(plain SE, CR0 clustered SE): the report's rule (AnalysisSettings.standardError)."""
    plain = stats.sem(values)  # ddof=1
    centred = values - values.mean()
    sums = np.array([centred[clusters == c].sum() for c in np.unique(clusters)])
    cr0 = np.sqrt((sums ** 2).sum() / n ** 2)
    return max(plain, cr0)


z = stats.norm.ppf(0.975)
se = clustered_se(d)
ratio = q_c / q_s
ratio_se = clustered_se((cascade - ratio * strong) / q_s)
z1 = stats.norm.ppf(0.95)

cost_total = sum(Decimal(r["weak_cost"] + r["check_cost"]) + (Decimal(r["strong_cost"]) if r["fails"] else 0) for r in rows)
per1k = int((cost_total * 1000 / n).quantize(Decimal(1), rounding=ROUND_HALF_UP))
check_per1k = int((Decimal(sum(r["check_cost"] for r in rows)) * 1000 / n).quantize(Decimal(1), rounding=ROUND_HALF_UP))
latency = np.array([r["weak_latency"] + (r["strong_latency"] if r["fails"] else 0) for r in rows])

# The portfolio's stratified normal interval with stated weights: strata of per-case values,
# SE² = Σ w² Var_s / n_s (ddof 1), and weighted latency percentiles (numpy inverted_cdf).
strata = [cascade[clusters == c] for c in range(3)]
# Weights whose p95 falls between two values, not on a cumulative weight tie (where float
# rounding in numpy and exact sums may pick different neighbours).
weights = np.array([0.6, 0.25, 0.15])
means = np.array([s.mean() for s in strata])
strat_quality = float((weights * means).sum())
strat_se = float(np.sqrt(sum(w * w * s.var(ddof=1) / len(s) for w, s in zip(weights, strata))))
case_weights = np.concatenate([np.full(len(s), w / len(s)) for w, s in zip(weights, strata)])
case_latency = np.concatenate([latency[clusters == c] for c in range(3)])

# The same cascade with stated task volumes (`volume:` 6, 3 and 2 on a, b and c): every figure
# weighs case i of task t by w_t / n_t, and the paired interval is the stratified normal one,
# tasks as strata: SE² = Σ w_t² Var_t(d) / n_t (ddof 1), the ratio's by the delta method on the
# residuals (cascade − R·strong) / q_strong.
volume_weights = np.array([6, 3, 2]) / 11
case_w = np.array([volume_weights[r["task"]] / TASKS[r["task"]][1] for r in rows])


def weighted_mean(values):
    return float(sum(volume_weights[c] * values[clusters == c].mean() for c in range(3)))


def stratified_se(values):
    return float(np.sqrt(sum(volume_weights[c] ** 2 * values[clusters == c].var(ddof=1) / (clusters == c).sum()
                             for c in range(3))))


wq_c, wq_w, wq_s = weighted_mean(cascade), weighted_mean(weak), weighted_mean(strong)
w_diff = wq_c - wq_s
w_se = stratified_se(cascade - strong)
w_ratio = wq_c / wq_s
w_ratio_se = stratified_se((cascade - w_ratio * strong) / wq_s)
exact_weights = [Fraction(6, 11), Fraction(3, 11), Fraction(2, 11)]
w_cost = sum(exact_weights[r["task"]] / TASKS[r["task"]][1]
             * (r["weak_cost"] + r["check_cost"] + (r["strong_cost"] if r["fails"] else 0)) for r in rows) * 1000
w_per1k = int((Decimal(w_cost.numerator) / Decimal(w_cost.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
w_check = sum(exact_weights[r["task"]] / TASKS[r["task"]][1] * r["check_cost"] for r in rows) * 1000
w_check_per1k = int((Decimal(w_check.numerator) / Decimal(w_check.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
# Far from a rounding tie, so float weights and exact ones round alike; and no cumulative weight
# lands on the 50th or 95th percentile (where float sums may pick either neighbour).
assert abs(float(w_cost) % 1 - 0.5) > 1e-6
order = np.argsort(latency, kind="stable")
assert min(abs(np.cumsum(case_w[order]) - p).min() for p in (0.5, 0.95)) > 1e-6

print(json.dumps({
    "cases": n,
    "quality": q_c, "weak_quality": q_w, "strong_quality": q_s,
    "difference": diff, "difference_lower": diff - z * se, "difference_upper": diff + z * se,
    "difference_lower_bound": diff - z1 * se,
    "relative_quality": ratio, "relative_quality_lower": ratio - z * ratio_se, "relative_quality_upper": ratio + z * ratio_se,
    "pgr": (q_c - q_w) / (q_s - q_w),
    "escalation_rate": escalated.mean(),
    "cost_per_1k_cases_micros": per1k,
    "check_cost_per_1k_cases_micros": check_per1k,
    "latency_p50_ms": float(np.percentile(latency, 50)), "latency_p95_ms": float(np.percentile(latency, 95)),
    "stratified_weights": weights.tolist(),
    "stratified_quality": strat_quality,
    "stratified_lower": strat_quality - z * strat_se, "stratified_upper": strat_quality + z * strat_se,
    "weighted_latency_p50_ms": float(np.percentile(case_latency, 50, weights=case_weights, method="inverted_cdf")),
    "weighted_latency_p95_ms": float(np.percentile(case_latency, 95, weights=case_weights, method="inverted_cdf")),
    "weighted": {
        "volumes": ["6", "3", "2"],
        "quality": wq_c, "weak_quality": wq_w, "strong_quality": wq_s,
        "difference": w_diff, "difference_lower": w_diff - z * w_se, "difference_upper": w_diff + z * w_se,
        "difference_lower_bound": w_diff - z1 * w_se, "difference_upper_bound": w_diff + z1 * w_se,
        "relative_quality": w_ratio,
        "relative_quality_lower": w_ratio - z * w_ratio_se, "relative_quality_upper": w_ratio + z * w_ratio_se,
        "pgr": (wq_c - wq_w) / (wq_s - wq_w),
        "escalation_rate": weighted_mean(escalated.astype(float)),
        "latency_mean_ms": weighted_mean(latency),
        "cost_per_1k_cases_micros": w_per1k,
        "check_cost_per_1k_cases_micros": w_check_per1k,
        "latency_p50_ms": float(np.percentile(latency, 50, weights=case_w, method="inverted_cdf")),
        "latency_p95_ms": float(np.percentile(latency, 95, weights=case_w, method="inverted_cdf")),
    },
    "versions": {"numpy": np.__version__, "scipy": __import__("scipy").__version__},
}, indent=2, sort_keys=True))
