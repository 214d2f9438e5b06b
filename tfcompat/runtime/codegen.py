"""Turns a Plan into one Python function, so the hot loop has no per-op dispatch:

    def run(f0):
        v1 = k0()
        v2 = k1(f0, v1)
        del v1            # freed after its last use
        return (v2,)

Kernels are closure variables; ``line_ops`` maps each source line to its op so the executor
can name the op that raised.
"""


def compile_plan(plan):
    kernel_names = [f"k{i}" for i in range(len(plan.steps))]
    last_use = {}
    for index, step in enumerate(plan.steps):
        for slot in step.inputs:
            last_use[slot] = index
    kept = set(s for s in plan.fetch_slots if s is not None)
    body, line_ops = [], {}
    header_lines = 2  # "def make(...):" and "def run(...):"
    for index, (step, kname) in enumerate(zip(plan.steps, kernel_names)):
        call = f"{kname}({', '.join(step.inputs)})"
        outputs = step.outputs
        if not outputs:
            line = call
        elif len(outputs) == 1:
            line = f"{outputs[0] or '_'} = {call}"
        else:
            line = f"{', '.join(o or '_' for o in outputs)}, = {call}"
        line_ops[header_lines + 1 + len(body)] = step.op
        body.append(line)
        dead = [s for s in step.inputs if last_use.get(s) == index and s not in kept
                and s.startswith("v")]
        if dead:
            body.append(f"del {', '.join(sorted(set(dead)))}")
    returned = ", ".join(s or "None" for s in plan.fetch_slots)
    body.append(f"return ({returned}{',' if plan.fetch_slots else ''})")
    source = (f"def make({', '.join(kernel_names) or ''}):\n"
              f"    def run({', '.join(plan.feed_slots)}):\n"
              + "".join(f"        {line}\n" for line in body)
              + "    return run\n")
    namespace = {}
    code = compile(source, "<tfcompat plan>", "exec")
    exec(code, namespace)  # noqa: S102 - source generated above from slot names only
    run = namespace["make"](*[step.kernel for step in plan.steps])
    return run, source, line_ops
