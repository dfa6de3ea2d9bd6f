// The files fcnn train writes besides the model: a plot of the training (SVG), a log of the
// epochs (CSV) and a picture of the first layer's weights (PNG). Each is written to a temporary
// file first and renamed into place, so a failure never leaves half a file over an old one.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <fcnn/matrix.hpp>

#include "progress.hpp"

namespace cli {

void write_file_atomically(const std::filesystem::path& path, const std::string& bytes);

// Loss and accuracy per epoch, training and (when there is one) validation, as two charts.
std::string training_plot_svg(const std::vector<EpochLine>& epochs, const std::string& title);

// epoch,loss,accuracy,val_loss,val_accuracy,seconds
std::string training_log_csv(const std::vector<EpochLine>& epochs);

// Each row of W (one neuron's weights over the inputs) as a square grey tile, scaled so that its
// smallest weight is black and its largest white, tiles in a grid. The inputs must form a
// square (784 = 28 x 28, 64 = 8 x 8). An 8-bit greyscale PNG with uncompressed (stored) data.
std::string weights_png(const fcnn::Matrix& W);

}  // namespace cli
