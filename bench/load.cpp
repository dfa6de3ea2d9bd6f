// bench/load: seconds to load Fashion-MNIST beside `zcat` of the same four files to /dev/null,
// in one run, alternating, median of the rounds. Two figures for fcnn: decompressing the four
// files (read_file: inflate with CRC and length checks) and the whole load (also the IDX checks
// and the images as float rows, 220 MB of fresh memory for both sets). Each as wall-clock
// seconds and as CPU seconds (user + system, of this process or of zcat), which a busy machine
// disturbs less, and the page faults it took (minor ones, mostly the first write to each page of
// fresh memory: on some virtual machines they cost more than the decompression; docs/results.md,
// 2026-12-07).
//
//   build/bench/load [--rounds 5] [--data FOLDER]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <fcnn/data/dataset.hpp>
#include <fcnn/data/gzip.hpp>

#include "timing.hpp"

namespace {

// User plus system seconds, and page faults served without reading a file, of this process
// (RUSAGE_SELF) or of its finished children.
struct Usage {
    double cpu_seconds;
    long page_faults;
};
Usage usage_of(int who) {
    rusage usage{};
    getrusage(who, &usage);
    const auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
    return {seconds(usage.ru_utime) + seconds(usage.ru_stime), usage.ru_minflt};
}

}  // namespace

int main(int argc, char** argv) try {
    std::size_t rounds = 5;
    std::filesystem::path data = "/usr/share/datasets/fashion-mnist";
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help") {
            std::puts("usage: load [--rounds 5] [--data FOLDER]");
            return 0;
        }
        if (i + 1 == argc) throw std::invalid_argument(flag + " needs a value");
        const std::string value = argv[++i];
        if (flag == "--rounds") rounds = bench::split_numbers(value).at(0);
        else if (flag == "--data") data = value;
        else throw std::invalid_argument("unknown flag " + flag + " (try --help)");
    }
    if (rounds == 0) throw std::invalid_argument("--rounds must be at least 1");
    if (!std::filesystem::exists(data))
        throw std::runtime_error(data.string() + " not found: install Debian's dataset-fashion-mnist, or pass --data FOLDER");

    const std::vector<std::string> names = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
    std::string zcat = "zcat";
    for (const std::string& name : names) zcat += " '" + (data / name).string() + "'";
    zcat += " > /dev/null";

    // Each measurement: wall seconds, CPU seconds and page faults of `who` (RUSAGE_SELF or
    // RUSAGE_CHILDREN).
    struct Times {
        std::vector<double> wall, cpu, faults;
    };
    const auto measure = [](Times& times, int who, const auto& work) {
        const Usage before = usage_of(who);
        const auto start = std::chrono::steady_clock::now();
        work();
        times.wall.push_back(bench::seconds_since(start));
        const Usage after = usage_of(who);
        times.cpu.push_back(after.cpu_seconds - before.cpu_seconds);
        times.faults.push_back(double(after.page_faults - before.page_faults));
    };
    Times gunzip, load, zcat_times;
    for (std::size_t round = 0; round < rounds; ++round) {
        measure(gunzip, RUSAGE_SELF, [&] {
            for (const std::string& name : names) fcnn::data::read_file(data / name);
        });
        measure(load, RUSAGE_SELF, [&] {
            fcnn::data::load_fashion_mnist(data, "train");
            fcnn::data::load_fashion_mnist(data, "t10k");
        });
        measure(zcat_times, RUSAGE_CHILDREN, [&] {
            if (std::system(zcat.c_str()) != 0) throw std::runtime_error("failed: " + zcat);
        });
        std::printf("round %zu (wall / cpu s, page faults): fcnn gunzip %.3f / %.3f, %.0f; fcnn load %.3f / %.3f, %.0f; "
                    "zcat %.3f / %.3f, %.0f\n",
                    round + 1, gunzip.wall.back(), gunzip.cpu.back(), gunzip.faults.back(), load.wall.back(),
                    load.cpu.back(), load.faults.back(), zcat_times.wall.back(), zcat_times.cpu.back(),
                    zcat_times.faults.back());
        std::fflush(stdout);
    }
    std::printf("\nmedians, as a multiple of zcat's [target <= 1.5]:\n");
    for (const auto& [name, times] : {std::pair<const char*, const Times&>{"fcnn gunzip", gunzip}, {"fcnn load", load}})
        std::printf("  %-12s wall %.3f s = %.2fx   cpu %.3f s = %.2fx   page faults %.0f\n", name,
                    bench::median(times.wall), bench::median(times.wall) / bench::median(zcat_times.wall),
                    bench::median(times.cpu), bench::median(times.cpu) / bench::median(zcat_times.cpu),
                    bench::median(times.faults));
    std::printf("  %-12s wall %.3f s           cpu %.3f s           page faults %.0f\n", "zcat",
                bench::median(zcat_times.wall), bench::median(zcat_times.cpu), bench::median(zcat_times.faults));
    return 0;
} catch (const std::exception& error) {
    std::fprintf(stderr, "load: %s\n", error.what());
    return 1;
}
