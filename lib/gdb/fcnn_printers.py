# gdb pretty-printers for fcnn: Matrix as a grid, Layer and Network as summaries.
#
#   (gdb) print delta[0]
#   $1 = 3x2
#   [ -0.0151218   0.0235591 ]
#   [  0.0176297  -0.0251983 ]
#   [ -0.0198334   0.0274719 ]
#
# libfcnn carries this file in its .debug_gdb_scripts section (lib/gdb/embed.py), so gdb loads
# it with the library once the build folder is in gdb's auto-load safe-path; docs/debugging.md
# says how. `set print elements N` limits how many numbers a matrix shows (200 by default).
# `set $fcnn_children = 1` gives Matrix, Layer and Network children (rows; W, b and activation;
# layers) for IDE variable views; the CLI keeps the grid alone.

import gdb
import gdb.printing


def children_wanted():
    """`set $fcnn_children = 1` asks for children (rows; W, b, activation; layers) for IDE
    variable views. A convenience variable, so it can be set before the library loads."""
    value = gdb.convenience_variable("fcnn_children")
    return value is not None and bool(value)


def vector_bounds(vector):
    """Pointers to the first element of a std::vector and past its last: members _M_impl._M_start
    and _M_finish in GCC's libstdc++, __begin_ and __end_ in LLVM's libc++ (macOS)."""
    try:
        return vector["_M_impl"]["_M_start"], vector["_M_impl"]["_M_finish"]
    except gdb.error:
        return vector["__begin_"], vector["__end_"]


def vector_items(vector):
    """The elements of a std::vector, as gdb.Values."""
    start, finish = vector_bounds(vector)
    return [(start + i).dereference() for i in range(int(finish - start))]


def enum_name(value):
    """fcnn::Activation::Kind::relu -> relu"""
    return str(value).split("::")[-1]


def element_limit():
    limit = gdb.parameter("print elements")
    return None if limit in (None, 0) else int(limit)


class Matrix:
    """A BasicMatrix: element (r, c) is values_[r * cols_ + c]."""

    def __init__(self, value):
        self.rows = int(value["rows_"])
        self.cols = int(value["cols_"])
        self.data = vector_bounds(value["values_"])[0]

    def element(self, r, c):
        return float((self.data + r * self.cols + c).dereference())

    def shown(self):
        """How many rows and columns fit in `set print elements`."""
        limit = element_limit()
        if limit is None:
            return self.rows, self.cols
        cols = min(self.cols, limit)
        rows = min(self.rows, max(1, limit // max(cols, 1)))
        return rows, cols

    def grid(self):
        rows, cols = self.shown()
        cells = [["%.6g" % self.element(r, c) for c in range(cols)] for r in range(rows)]
        width = max((len(cell) for row in cells for cell in row), default=0)
        more_cols = " ..." if cols < self.cols else ""
        lines = ["[ " + "  ".join(cell.rjust(width) for cell in row) + more_cols + " ]" for row in cells]
        if rows < self.rows or cols < self.cols:
            lines.append("... showing %d of %d rows and %d of %d columns (set print elements)"
                         % (rows, self.rows, cols, self.cols))
        return lines

    def row(self, r):
        """Row r as a C array, so an IDE can expand it."""
        row_type = self.data.type.strip_typedefs().target().array(self.cols - 1)
        return (self.data + r * self.cols).cast(row_type.pointer()).dereference()


class MatrixPrinter:
    def __init__(self, value):
        self.matrix = Matrix(value)

    def to_string(self):
        m = self.matrix
        return "\n".join(["%dx%d" % (m.rows, m.cols)] + m.grid())

    def children(self):
        if not children_wanted() or self.matrix.cols == 0:
            return iter(())
        return (("[%d]" % r, self.matrix.row(r)) for r in range(self.matrix.rows))


class ActivationPrinter:
    def __init__(self, value):
        self.value = value

    def to_string(self):
        return enum_name(self.value["kind_"])


class CostPrinter(ActivationPrinter):
    pass


def layer_summary(layer):
    w = Matrix(layer["weights"])
    return "%d -> %d, %s" % (w.cols, w.rows, enum_name(layer["activation"]["kind_"]))


def networks_in_frame():
    """The networks the selected frame can see: `this` in a network's member function, and
    local variables and arguments of network type (or references to one)."""
    try:
        block = gdb.selected_frame().block()
    except RuntimeError:  # no frame (the program is not running)
        return
    while block is not None and not block.is_global:
        for symbol in block:
            if not symbol.is_variable and not symbol.is_argument:
                continue
            try:
                value = symbol.value(gdb.selected_frame())
                if value.type.strip_typedefs().code in (gdb.TYPE_CODE_PTR, gdb.TYPE_CODE_REF):
                    value = value.dereference()
                if value.type.strip_typedefs().tag and value.type.strip_typedefs().tag.startswith("fcnn::BasicNetwork<"):
                    yield value
            except (gdb.error, gdb.MemoryError):
                continue
        block = block.superblock


def layer_number(layer):
    """The math's number of this layer (1 for W^1), found by its address in a network the frame
    can see; None when it is not one of theirs (a copy, or no network in sight)."""
    if layer.address is None:
        return None
    for network in networks_in_frame():
        for l, item in enumerate(vector_items(network["layers_"])):
            if item.address == layer.address:
                return l + 1
    return None


class LayerPrinter:
    """layers_[1] is layer 2 of the math (W^2, b^2): the printer says so, and names W and b with
    the layer's number, as the equations do."""

    def __init__(self, value):
        self.value = value

    def to_string(self):
        number = layer_number(self.value)
        suffix = "" if number is None else "^%d" % number
        lines = ["layer: %s" % layer_summary(self.value) if number is None else
                 "layer %d: %s" % (number, layer_summary(self.value))]
        for name, member in (("W", "weights"), ("b", "biases")):
            lines.append(name + suffix + " = " + MatrixPrinter(self.value[member]).to_string())
        return "\n".join(lines)

    def children(self):
        if not children_wanted():
            return iter(())
        return ((name, self.value[name]) for name in ("weights", "biases", "activation"))


class NetworkPrinter:
    def __init__(self, value):
        self.value = value
        self.layers = vector_items(value["layers_"])

    def to_string(self):
        sizes = [str(Matrix(self.layers[0]["weights"]).cols)] if self.layers else []
        sizes += [str(Matrix(layer["weights"]).rows) for layer in self.layers]
        lines = ["network %s, cost %s" % ("-".join(sizes), enum_name(self.value["cost_"]["kind_"]))]
        for l, layer in enumerate(self.layers):
            lines.append("  layer %d: %s" % (l + 1, layer_summary(layer)))
        return "\n".join(lines)

    def children(self):
        if not children_wanted():
            return iter(())
        return (("layer %d" % (l + 1), layer) for l, layer in enumerate(self.layers))


def build_printers():
    printers = gdb.printing.RegexpCollectionPrettyPrinter("fcnn")
    printers.add_printer("Matrix", r"^fcnn::BasicMatrix<.*>$", MatrixPrinter)
    printers.add_printer("Layer", r"^fcnn::BasicLayer<.*>$", LayerPrinter)
    printers.add_printer("Network", r"^fcnn::BasicNetwork<.*>$", NetworkPrinter)
    printers.add_printer("Activation", r"^fcnn::Activation$", ActivationPrinter)
    printers.add_printer("Cost", r"^fcnn::Cost$", CostPrinter)
    return printers


gdb.printing.register_pretty_printer(gdb.current_objfile(), build_printers(), replace=True)
