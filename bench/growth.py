#!/usr/bin/python3
"""bench/growth.py: how an epoch's cost grows with the batch size, fcnn against PyTorch, one run.

Seconds per Fashion-MNIST epoch (float, one thread, SGD) for batch sizes 1, 4, 16, 32, 128 and
512, on bench/train's network 784-256-128-10 and on a larger 784-1024-1024-10, measured by
build/bench/train and bench/torch_mlp.py back to back. Each point trains on the first
--samples images for two epochs and scales the second epoch's time to 60,000 images (a whole
epoch at batch 1 on the large network takes minutes). Writes the numbers as CSV and draws
them as a log-log SVG chart, one line per system and network:

    /usr/bin/python3 bench/growth.py [--build build] [--csv docs/growth.csv] [--svg docs/growth.svg]
    /usr/bin/python3 bench/growth.py --redraw docs/growth.csv --svg docs/growth.svg
"""
import argparse
import csv
import math
import os
import re
import subprocess
import sys

import openblas_kernels

HERE = os.path.dirname(os.path.abspath(__file__))
BATCHES = [1, 4, 16, 32, 128, 512]
NETWORKS = {"784-256-128-10": 4096, "784-1024-1024-10": 2048}  # the images each point trains on


def run(command):
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"growth.py: {command[0]} failed:\n{result.stderr}")
    return result.stdout


def fcnn_seconds(build, layers, samples, batch):
    out = run([os.path.join(build, "bench", "train"), "--precision", "float", "--threads", "1",
               "--layers", layers.replace("-", ","), "--batch", str(batch),
               "--samples", str(samples), "--epochs", "2"])
    return float(re.search(rf"^float\s+1\s+{batch}\s+([0-9.]+)", out, re.M).group(1))


def torch_seconds(layers, samples, batch):
    out = run(["/usr/bin/python3", os.path.join(HERE, "torch_mlp.py"), "--threads", "1", "--epochs", "2",
               "--layers", layers.replace("-", ","), "--batch", str(batch), "--samples", str(samples)])
    return float(re.search(r"median: ([0-9.]+) s/epoch", out).group(1))


def measure(build):
    """Each point measures fcnn and PyTorch back to back, so a change of the machine's load falls
    on both sides of the ratio rather than on one system's whole line."""
    rows = []
    for layers, samples in NETWORKS.items():
        for batch in BATCHES:
            fcnn = fcnn_seconds(build, layers, samples, batch)
            torch = torch_seconds(layers, samples, batch)
            rows.append({"network": layers, "batch": batch, "samples": samples, "fcnn": fcnn, "pytorch": torch})
            print(f"  {layers} batch {batch:3}: fcnn {fcnn:8.3f} s/epoch, PyTorch {torch:8.3f} s/epoch, "
                  f"ratio {fcnn / torch:.2f}", flush=True)
    return rows


def draw(rows, path):
    """A log-log chart: batch size across, seconds per epoch up, one line per system and network."""
    width, height, left, right, top, bottom = 640, 420, 70, 190, 40, 50
    seconds = [row[system] for row in rows for system in ("fcnn", "pytorch")]
    y_low = 10 ** math.floor(math.log10(min(seconds)))
    y_high = 10 ** math.ceil(math.log10(max(seconds)))
    x_low, x_high = math.log2(BATCHES[0]), math.log2(BATCHES[-1])

    def x_of(batch):
        return left + (math.log2(batch) - x_low) / (x_high - x_low) * (width - left - right)

    def y_of(value):
        fraction = (math.log10(value) - math.log10(y_low)) / (math.log10(y_high) - math.log10(y_low))
        return height - bottom - fraction * (height - top - bottom)

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14">Seconds per Fashion-MNIST epoch (float, 1 thread, SGD)</text>']
    decade = y_low
    while decade <= y_high * 1.001:
        y = y_of(decade)
        svg.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{decade:g}</text>')
        decade *= 10
    for batch in BATCHES:
        x = x_of(batch)
        svg.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" stroke="#eee"/>')
        svg.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">{batch}</text>')
    svg.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">batch size</text>')
    svg.append(f'<text transform="translate(18 {(top + height - bottom) / 2}) rotate(-90)" '
               f'text-anchor="middle">seconds per epoch</text>')
    svg.append(f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" '
               f'fill="none" stroke="#888"/>')
    styles = {"fcnn": "#1f77b4", "pytorch": "#d62728"}
    names = {"fcnn": "fcnn", "pytorch": "PyTorch"}
    legend_y = top + 10
    for n, network in enumerate(NETWORKS):
        dash = "" if n == 0 else ' stroke-dasharray="6 4"'
        for system, colour in styles.items():
            points = [(x_of(row["batch"]), y_of(row[system])) for row in rows if row["network"] == network]
            path_points = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            svg.append(f'<polyline points="{path_points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
            svg += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
            x = width - right + 12
            svg.append(f'<line x1="{x}" y1="{legend_y}" x2="{x + 24}" y2="{legend_y}" stroke="{colour}" '
                       f'stroke-width="2"{dash}/>')
            svg.append(f'<text x="{x + 30}" y="{legend_y + 4}">{names[system]}</text>')
            svg.append(f'<text x="{x + 30}" y="{legend_y + 18}" font-size="10">{network}</text>')
            legend_y += 36
    svg.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(svg) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(HERE, "..", "build"), help="the Meson build folder")
    parser.add_argument("--csv", default=os.path.join(HERE, "..", "docs", "growth.csv"))
    parser.add_argument("--svg", default=os.path.join(HERE, "..", "docs", "growth.svg"))
    parser.add_argument("--redraw", metavar="CSV", help="draw the chart from a recorded CSV, measure nothing")
    args = parser.parse_args()
    if args.redraw:
        with open(args.redraw) as f:
            rows = [{"network": r["network"], "batch": int(r["batch"]), "samples": int(r["samples"]),
                     "fcnn": float(r["fcnn"]), "pytorch": float(r["pytorch"])} for r in csv.DictReader(f)]
    else:
        kernels = openblas_kernels.use_widest(args.build, "growth.py")
        print(f"growth.py: PyTorch runs OpenBLAS's {kernels} kernels", flush=True)
        rows = measure(args.build)
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=["network", "batch", "samples", "fcnn", "pytorch"])
            writer.writeheader()
            writer.writerows(rows)
        print(f"wrote {args.csv}")
    draw(rows, args.svg)
    print(f"wrote {args.svg}")
    print("\n| network | batch | fcnn s/epoch | PyTorch s/epoch | fcnn / PyTorch |\n| --- | --- | --- | --- | --- |")
    for row in rows:
        print(f"| {row['network']} | {row['batch']} | {row['fcnn']:.2f} | {row['pytorch']:.2f} | "
              f"{row['fcnn'] / row['pytorch']:.2f} |")


if __name__ == "__main__":
    main()
