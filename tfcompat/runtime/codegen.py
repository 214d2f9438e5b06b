"""Turns a list of plan steps into one Python function, so the hot loop has no per-op
dispatch:

    def make(k0, k1, c0):
        def run(f0):
            v1 = k0(f0, c0)
            v2 = k1(v1)
            del v1            # freed after its last use
            return (v2,)
        return run

Kernels and folded constants are closure variables; ``line_ops`` maps each source line to
its op so the executor can name the op that raised.
"""
import numpy as np

from tfcompat.framework.op_def import DEAD


def _emit_maybe_dead(step, call_line, body, line_ops, first_body_line):
    """A step on a tf.cond branch: skipped (outputs DEAD) when an input or a control
    predecessor is dead; Merge is always called and is dead only if all inputs were."""
    checks = [f"{slot} is DEAD" for slot in step.dead_inputs]
    checks += [f"d{op._id}" for op in step.dead_controls]
    if step.op.op_def.accepts_dead_inputs and not step.dead_controls:
        line_ops[first_body_line + len(body)] = step.op
        body.append(call_line)
        first = step.outputs[0] if step.outputs else None
        body.append(f"{step.flag} = {first} is DEAD" if first else f"{step.flag} = False")
        return
    if not checks:
        line_ops[first_body_line + len(body)] = step.op
        body.append(call_line)
        body.append(f"{step.flag} = False")
        return
    body.append(f"if {' or '.join(checks)}:")
    dead_outputs = [o for o in step.outputs if o]
    body.append(f"    {' = '.join(dead_outputs + ['DEAD'])}" if dead_outputs else "    pass")
    body.append(f"    {step.flag} = True")
    body.append("else:")
    line_ops[first_body_line + len(body)] = step.op
    body.append(f"    {call_line}")
    body.append(f"    {step.flag} = False")


def _copy(value):
    return value if value is DEAD else np.array(value, copy=True)


def compile_program(program):
    """The generated function of a specialised ``passes.Program``."""
    return compile_steps(program.steps, program.feed_slots, program.fetch_slots,
                         program.bound(), program.copy_slots, set(program.constants))


def compile_steps(steps, feed_slots, fetch_slots, constants=None, copy_slots=(),
                  copied_on_return=()):
    """``constants`` are the values the function closes over (folded constants, kept
    storage); ``copy_slots`` are copied right after they are produced (fetched values that
    alias a feed or variable storage), ``copied_on_return`` when they are returned (fetched
    constants). Every other slot but the feeds is a value of the run, deleted after its
    last use."""
    constants = constants or {}
    not_released = set(feed_slots) | set(constants)
    kernel_names = [f"k{i}" for i in range(len(steps))]
    last_use = {}
    for index, step in enumerate(steps):
        for slot in step.inputs:
            last_use[slot] = index
    kept = {s for s in fetch_slots if s is not None}
    body, line_ops = [], {}
    first_body_line = 3  # after "def make(...):" and "def run(...):"
    for index, (step, kname) in enumerate(zip(steps, kernel_names)):
        call = f"{kname}({', '.join(step.inputs)})"
        outputs = step.outputs
        if not outputs:
            line = call
        elif len(outputs) == 1:
            line = f"{outputs[0] or '_'} = {call}"
        else:
            line = f"{', '.join(o or '_' for o in outputs)}, = {call}"
        if not step.maybe_dead:
            line_ops[first_body_line + len(body)] = step.op
            body.append(line)
        else:
            _emit_maybe_dead(step, line, body, line_ops, first_body_line)
        body.extend(f"{slot} = _copy({slot})" for slot in outputs if slot in copy_slots)
        dead = sorted({s for s in step.inputs if last_use.get(s) == index and s not in kept
                       and s not in not_released})
        if dead:
            body.append(f"del {', '.join(dead)}")
    returned = ", ".join("None" if not s else f"_copy({s})" if s in copied_on_return else s
                         for s in fetch_slots)
    body.append(f"return ({returned}{',' if fetch_slots else ''})")
    const_names = sorted(constants)
    source = (f"def make({', '.join(kernel_names + const_names)}):\n"
              f"    def run({', '.join(feed_slots)}):\n"
              + "".join(f"        {line}\n" for line in body)
              + "    return run\n")
    namespace = {"DEAD": DEAD, "_copy": _copy}
    exec(compile(source, "<tfcompat plan>", "exec"), namespace)  # noqa: S102 - generated
    run = namespace["make"](*[step.kernel for step in steps],
                            *[constants[name] for name in const_names])
    return run, source, line_ops
