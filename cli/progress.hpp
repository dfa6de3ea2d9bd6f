// Training progress: on a terminal, a live bar per epoch; otherwise one line per epoch.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <ostream>

namespace cli {

struct EpochLine {
    std::size_t epoch = 0;
    double loss = 0, accuracy = 0;
    std::optional<double> validation_loss, validation_accuracy;
    double seconds = 0;
};

class Progress {
public:
    Progress(std::ostream& out, bool terminal, std::size_t epochs, std::size_t batch_size);

    void batch(std::size_t done, std::size_t total, double cost);  // redraws the bar on a terminal
    void epoch(const EpochLine& line);                              // the epoch's summary line

private:
    using Clock = std::chrono::steady_clock;
    std::ostream& out_;
    bool terminal_;
    std::size_t epochs_, batch_size_, epoch_ = 1;
    Clock::time_point epoch_start_ = Clock::now(), last_draw_{};
    double running_cost_ = 0;
};

}  // namespace cli
