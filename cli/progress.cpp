#include "progress.hpp"

#include <cstdio>
#include <string>

namespace cli {

Progress::Progress(std::ostream& out, bool terminal, std::size_t epochs, std::size_t batch_size)
    : out_(out), terminal_(terminal), epochs_(epochs), batch_size_(batch_size) {}

void Progress::batch(std::size_t done, std::size_t total, double cost) {
    if (done == 1) {
        epoch_start_ = Clock::now();
        running_cost_ = cost;
    }
    running_cost_ = 0.98 * running_cost_ + 0.02 * cost;  // a smoothed loss, steadier to read
    if (!terminal_) return;
    const auto now = Clock::now();
    if (done != total && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const double seconds = std::chrono::duration<double>(now - epoch_start_).count();
    const double rate = seconds > 0 ? static_cast<double>(done * batch_size_) / seconds : 0;
    const double eta = done > 0 ? seconds * static_cast<double>(total - done) / static_cast<double>(done) : 0;
    const std::size_t width = 30, filled = width * done / total;
    char text[200];
    std::snprintf(text, sizeof text, "\repoch %zu/%zu [%s%s] %zu/%zu batches  %.0f samples/s  ETA %.0f s  loss %.4f ",
                  epoch_, epochs_, std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), done, total,
                  rate, eta, running_cost_);
    out_ << text << std::flush;
}

void Progress::epoch(const EpochLine& line) {
    char text[200];
    int n = std::snprintf(text, sizeof text, "epoch %zu/%zu  loss %.4f  accuracy %.4f", line.epoch, epochs_, line.loss,
                          line.accuracy);
    if (line.validation_loss)
        n += std::snprintf(text + n, sizeof text - std::size_t(n), "  val_loss %.4f  val_accuracy %.4f",
                           *line.validation_loss, *line.validation_accuracy);
    std::snprintf(text + n, sizeof text - std::size_t(n), "  %.1f s", line.seconds);
    if (terminal_) out_ << "\r\033[K";  // clear the bar
    out_ << text << "\n" << std::flush;
    epoch_ = line.epoch + 1;
}

}  // namespace cli
